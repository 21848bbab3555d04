package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencySummaryTest {
  @Test
  void nearestRankPercentilesInMicroseconds() {
    // 1..100 µs, shuffled by reversing: p50 is the 50th value, p99 the 99th.
    long[] nanos = LongStream.rangeClosed(1, 100).map(i -> (101 - i) * 1_000).toArray();
    LatencySummary summary = LatencySummary.of(nanos);
    assertEquals(100, summary.calls());
    assertEquals(50.0, summary.p50Micros());
    assertEquals(99.0, summary.p99Micros());
  }

  @Test
  void oneCallIsItsOwnPercentiles() {
    LatencySummary summary = LatencySummary.of(new long[] {1_500});
    assertEquals(1.5, summary.p50Micros());
    assertEquals(1.5, summary.p99Micros());
  }

  @Test
  void noCallsIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> LatencySummary.of(new long[0]));
  }
}
