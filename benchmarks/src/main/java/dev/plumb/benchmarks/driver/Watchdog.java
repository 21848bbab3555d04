package dev.plumb.benchmarks.driver;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a measurement that hangs: after its limit it runs an action that makes the blocked calls
 * fail (shutting the channel down now, closing a socket). Measured calls carry no deadline of
 * their own, because a deadline costs a timer task per call and would be measured too.
 */
final class Watchdog implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread thread = new Thread(r, "benchmark-watchdog");
        thread.setDaemon(true);
        return thread;
      });

  private final ScheduledFuture<?> expiry;
  private volatile boolean expired;

  private Watchdog(Duration limit, Runnable onExpiry) {
    expiry = TIMER.schedule(() -> {
      expired = true;
      onExpiry.run();
    }, limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Watchdog arm(Duration limit, Runnable onExpiry) {
    return new Watchdog(limit, onExpiry);
  }

  boolean expired() {
    return expired;
  }

  @Override
  public void close() {
    expiry.cancel(false);
  }
}
