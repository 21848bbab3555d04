package dev.plumb.rpc.internal;

import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * grpc-netty's {@code maxConnectionAge} and {@code maxConnectionAgeGrace}: at its age, jittered
 * by ±10% per connection so that a fleet's clients do not all reconnect at once, the
 * connection is shut down gracefully; calls still open the grace later end UNAVAILABLE with
 * the connection.
 *
 * <p>Threading: {@link #start} and both timers run under the session lock.
 */
final class MaxConnectionAge {
  private final Session<?> session;
  private final ConnectionLifetime lifetime;
  private final Runnable goAway;
  private final Consumer<Status> closeNow;

  /** On {@code session}, {@code goAway} at the age of {@code lifetime}, {@code closeNow} after its grace. */
  MaxConnectionAge(Session<?> session, ConnectionLifetime lifetime, Runnable goAway,
      Consumer<Status> closeNow) {
    this.session = session;
    this.lifetime = lifetime;
    this.goAway = goAway;
    this.closeNow = closeNow;
  }

  /** The connection began. */
  void start() {
    if (lifetime.maxAgeNanos == ServerDurations.DISABLED) {
      return;
    }
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    session.scheduleLocked(this::reached, (long) (lifetime.maxAgeNanos * jitter));
  }

  private void reached() {
    goAway.run();
    if (lifetime.maxAgeGraceNanos != ServerDurations.DISABLED) {
      session.scheduleLocked(this::graceOver, lifetime.maxAgeGraceNanos);
    }
  }

  private void graceOver() {
    closeNow.accept(Status.UNAVAILABLE.withDescription("connection closed: its maximum age"
        + " was reached and the grace of "
        + TimeUnit.NANOSECONDS.toMillis(lifetime.maxAgeGraceNanos) + " ms is over"));
  }
}
