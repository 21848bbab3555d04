package dev.plumb.demo;

import java.util.Arrays;

/** Percentiles of timed round trips. */
public record LatencySummary(int calls, double p50Micros, double p99Micros) {

  /** Summarises round-trip times in nanoseconds; sorts {@code nanos} in place. */
  static LatencySummary of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no round trips to summarise");
    }
    Arrays.sort(nanos);
    return new LatencySummary(nanos.length, percentile(nanos, 50) / 1_000.0,
        percentile(nanos, 99) / 1_000.0);
  }

  /** The nearest-rank percentile: the smallest value with at least p% of values at or below it. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
