package dev.plumb.rpc.internal;

import java.util.concurrent.TimeUnit;

/**
 * How a server's keep-alive and connection-lifetime durations are bounded, as grpc-netty's
 * server bounds them: positive, raised to a minimum, and "forever" from 1000 days on.
 */
final class ServerDurations {
  /** What a duration of "forever" is stored as: the timer never fires. */
  static final long DISABLED = Long.MAX_VALUE;
  static final long MIN_KEEPALIVE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  static final long MIN_CONNECTION_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long AS_GOOD_AS_FOREVER = TimeUnit.DAYS.toNanos(1000);

  private ServerDurations() {}

  /** {@code nanos}, at least {@code min}, or {@link #DISABLED} from 1000 days on. */
  static long orDisabled(String name, long nanos, long min) {
    if (nanos <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + nanos + " ns");
    }
    return nanos >= AS_GOOD_AS_FOREVER ? DISABLED : Math.max(nanos, min);
  }
}
