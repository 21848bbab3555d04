package dev.plumb.transport.pipe;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Stops a crash loop: gRPC's channel starts a new child whenever the last one died and a call
 * needs it (with exponential backoff after failed starts); this refuses a start once the same
 * command was started {@code maxStarts} times within {@code startWindow} in this JVM, until
 * the oldest of those starts leaves the window. Thread-safe.
 */
final class StartLimiter {
  private final Map<String, Deque<Long>> starts = new HashMap<>();

  /** Records a start and returns null, or returns why the start is refused. */
  synchronized String tryStart(String key, PipeCommand command, long nowNanos) {
    Deque<Long> recent = starts.computeIfAbsent(key, k -> new ArrayDeque<>());
    long windowNanos = command.startWindow.toNanos();
    while (!recent.isEmpty() && nowNanos - recent.peekFirst() >= windowNanos) {
      recent.pollFirst();
    }
    if (recent.size() >= command.maxStarts) {
      long retryMillis = Duration.ofNanos(windowNanos - (nowNanos - recent.peekFirst())).toMillis();
      return "'" + command.display() + "' was started " + recent.size() + " times within "
          + command.startWindow.toMillis() + " ms (the limit, maxStarts=" + command.maxStarts
          + "); not starting it again for " + retryMillis + " ms. Is it crashing on start?"
          + " Its stderr is in this process's log";
    }
    recent.addLast(nowNanos);
    return null;
  }
}
