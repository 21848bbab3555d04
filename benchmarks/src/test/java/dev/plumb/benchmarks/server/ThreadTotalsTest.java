package dev.plumb.benchmarks.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTotalsTest {
  @Test
  void aThreadThatEndsKeepsCountingWithItsLastValue() {
    ThreadTotals totals = new ThreadTotals();
    assertEquals(150, totals.total(Map.of(1L, 100L, 2L, 50L)));
    // Thread 2 ended; thread 3 started.
    assertEquals(180, totals.total(Map.of(1L, 120L, 3L, 10L)));
    assertEquals(190, totals.total(Map.of(1L, 130L, 3L, 10L)));
  }

  @Test
  void anIdReusedByANewThreadCountsAsANewThread() {
    ThreadTotals totals = new ThreadTotals();
    assertEquals(500, totals.total(Map.of(7L, 500L)));
    // Thread 7 ended and a new thread got its id: its counter starts again from 0.
    assertEquals(520, totals.total(Map.of(7L, 20L)));
  }
}
