package dev.plumb.rpc.internal;

import java.util.function.LongSupplier;

/**
 * grpc-netty's {@code maxConnectionIdle}: a connection without an open call for that long is
 * shut down gracefully. At most one check is pending: calls that come and go only move the
 * time the connection went idle, and the check, when due, looks again.
 *
 * <p>Threading: every method, and the check, runs under the session lock.
 */
final class IdleTimeout {
  private final Session<?> session;
  private final long idleNanos;
  private final LongSupplier nanoTime;
  private final Runnable goAway;

  private boolean active;
  private long idleSince;
  private boolean checkPending;

  /** Runs {@code goAway} once {@code session} has had no call for {@code idleNanos}. */
  IdleTimeout(Session<?> session, long idleNanos, LongSupplier nanoTime, Runnable goAway) {
    this.session = session;
    this.idleNanos = idleNanos;
    this.nanoTime = nanoTime;
    this.goAway = goAway;
  }

  /** The last call ended (or the connection began without one). */
  void onIdle() {
    if (idleNanos == ServerDurations.DISABLED) {
      return;
    }
    active = false;
    idleSince = nanoTime.getAsLong();
    if (!checkPending) {
      checkAfter(idleNanos);
    }
  }

  /** A call opened. */
  void onActive() {
    active = true;
  }

  private void checkAfter(long delayNanos) {
    checkPending = true;
    session.scheduleLocked(this::check, delayNanos);
  }

  private void check() {
    checkPending = false;
    if (active) {
      return;
    }
    long left = idleSince + idleNanos - nanoTime.getAsLong();
    if (left > 0) {
      checkAfter(left);
    } else {
      goAway.run();
    }
  }
}
