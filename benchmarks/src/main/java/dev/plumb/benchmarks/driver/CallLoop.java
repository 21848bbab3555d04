package dev.plumb.benchmarks.driver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Round trips one at a time, the loop of every warm-up and latency run of both RPC and raw
 * configurations, and the percentiles it yields.
 */
// "try": a Watchdog is held by try-with-resources only to be disarmed at the end of the loop.
@SuppressWarnings("try")
final class CallLoop {
  /** Slack on top of a phase's planned time before its watchdog ends it. */
  static final Duration SLACK = Duration.ofSeconds(60);
  private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** One round trip; throws if the answer is wrong. */
  @FunctionalInterface
  interface RoundTrip {
    void call() throws Exception;
  }

  private CallLoop() {}

  /** A histogram of round-trip nanoseconds, 3 significant digits, up to a minute. */
  static Histogram histogram() {
    return new Histogram(HISTOGRAM_MAX_NANOS, 3);
  }

  /**
   * Makes round trips until {@code maxCalls}, or until {@code limit} has passed once at least
   * {@code minCalls} were made, recording each into {@code histogram} unless it is null. If the
   * loop overruns its limit by {@link #SLACK}, {@code onHang} runs (it must make the blocked
   * call fail: shut a channel down, close a socket). Returns how many calls were made.
   */
  static int repeat(int maxCalls, int minCalls, Duration limit, Histogram histogram,
      Runnable onHang, RoundTrip roundTrip) throws Exception {
    long stopAt = System.nanoTime() + limit.toNanos();
    int made = 0;
    try (Watchdog watchdog = Watchdog.arm(limit.plus(SLACK), onHang)) {
      while (made < maxCalls && (made < minCalls || System.nanoTime() < stopAt)) {
        long start = System.nanoTime();
        roundTrip.call();
        long end = System.nanoTime();
        if (histogram != null) {
          histogram.recordValue(Math.min(end - start, HISTOGRAM_MAX_NANOS));
        }
        made++;
      }
    }
    return made;
  }

  /** The percentiles (µs) and the call count of a latency run, under {@link Metrics}' names. */
  static void putLatency(Map<String, Double> figures, int size, Histogram histogram, int calls) {
    put(figures, p -> Metrics.latency(size, p), Metrics.latencyCalls(size), histogram, calls);
  }

  /** The same for an async latency run. */
  static void putAsyncLatency(Map<String, Double> figures, int size, Histogram histogram,
      int calls) {
    put(figures, p -> Metrics.asyncLatency(size, p), Metrics.asyncLatencyCalls(size), histogram,
        calls);
  }

  private static void put(Map<String, Double> figures, DoubleFunction<String> percentileMetric,
      String callsMetric, Histogram histogram, int calls) {
    for (double percentile : Metrics.PERCENTILES) {
      figures.put(percentileMetric.apply(percentile),
          histogram.getValueAtPercentile(percentile) / 1_000.0);
    }
    figures.put(callsMetric, (double) calls);
  }
}
