package dev.plumb.rpc.internal;

import java.util.concurrent.TimeUnit;

/**
 * How long a server keeps a connection (grpc-netty's {@code maxConnectionIdle},
 * {@code maxConnectionAge} and {@code maxConnectionAgeGrace}): a connection without calls for
 * the idle time, or older than its age, is shut down gracefully (GO_AWAY, calls in flight may
 * finish); one still busy the grace after its age is closed, its calls ended. All unlimited by
 * default. Immutable.
 */
public final class ConnectionLifetime {
  public static final ConnectionLifetime UNLIMITED = new ConnectionLifetime(
      ServerDurations.DISABLED, ServerDurations.DISABLED, ServerDurations.DISABLED);

  final long maxIdleNanos;
  final long maxAgeNanos;
  final long maxAgeGraceNanos;

  private ConnectionLifetime(long maxIdleNanos, long maxAgeNanos, long maxAgeGraceNanos) {
    this.maxIdleNanos = maxIdleNanos;
    this.maxAgeNanos = maxAgeNanos;
    this.maxAgeGraceNanos = maxAgeGraceNanos;
  }

  /** At least 1 s; 1000 days or more is unlimited. */
  public ConnectionLifetime withMaxIdle(long time, TimeUnit unit) {
    return new ConnectionLifetime(ServerDurations.orDisabled("maxConnectionIdle",
        unit.toNanos(time), ServerDurations.MIN_CONNECTION_LIFETIME_NANOS), maxAgeNanos,
        maxAgeGraceNanos);
  }

  /** At least 1 s; 1000 days or more is unlimited. Each connection's age is jittered by ±10%. */
  public ConnectionLifetime withMaxAge(long time, TimeUnit unit) {
    return new ConnectionLifetime(maxIdleNanos, ServerDurations.orDisabled("maxConnectionAge",
        unit.toNanos(time), ServerDurations.MIN_CONNECTION_LIFETIME_NANOS), maxAgeGraceNanos);
  }

  /** Zero or more; 1000 days or more is unlimited. */
  public ConnectionLifetime withMaxAgeGrace(long time, TimeUnit unit) {
    long nanos = unit.toNanos(time);
    if (nanos < 0) {
      throw new IllegalArgumentException("maxConnectionAgeGrace must not be negative: " + time);
    }
    return new ConnectionLifetime(maxIdleNanos, maxAgeNanos, nanos == 0 ? 0
        : ServerDurations.orDisabled("maxConnectionAgeGrace", nanos, 0));
  }
}
