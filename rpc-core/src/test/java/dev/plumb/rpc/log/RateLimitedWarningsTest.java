package dev.plumb.rpc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;

class RateLimitedWarningsTest {
  private final ConcurrentLinkedQueue<SubstituteLoggingEvent> events =
      new ConcurrentLinkedQueue<>();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final RateLimitedWarnings warnings = new RateLimitedWarnings(
      new EventRecordingLogger(new SubstituteLogger("test", events, false), events), 2,
      Duration.ofSeconds(10), nanos::get);

  @Test
  void writesTheLimitPerIntervalAndReportsWhatItLeftOutInTheNextLine() {
    for (int i = 1; i <= 5; i++) {
      warnings.warn("refused", "refused pid {}", i);
    }
    assertEquals(List.of("refused pid 1", "refused pid 2"), lines());
    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    warnings.warn("refused", "refused pid {}", 6);
    warnings.warn("refused", "refused pid {}", 7);
    assertEquals(List.of("refused pid 6 (3 more like it suppressed)", "refused pid 7"), lines());
  }

  @Test
  void eachKindHasABudgetOfItsOwn() {
    for (int i = 0; i < 3; i++) {
      warnings.warn("refused", "refused");
      warnings.warn("dropped", "dropped");
    }
    assertEquals(List.of("refused", "dropped", "refused", "dropped"), lines());
  }

  @Test
  void aThrowableStaysAThrowableWhenTheCountIsAdded() {
    IllegalStateException failure = new IllegalStateException("boom");
    for (int i = 0; i < 3; i++) {
      warnings.warn("failed", "failed on {}", "x", failure);
    }
    events.clear();
    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    warnings.warn("failed", "failed on {}", "x", failure);
    SubstituteLoggingEvent line = events.poll();
    assertEquals("failed on x (1 more like it suppressed)", text(line));
    assertSame(failure, line.getThrowable());
  }

  @Test
  void aZeroLimitOrIntervalIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new RateLimitedWarnings(null, 0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new RateLimitedWarnings(null, 1, Duration.ZERO));
  }

  private List<String> lines() {
    List<String> lines = events.stream().map(RateLimitedWarningsTest::text).toList();
    events.clear();
    return lines;
  }

  private static String text(SubstituteLoggingEvent event) {
    return MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray());
  }
}
