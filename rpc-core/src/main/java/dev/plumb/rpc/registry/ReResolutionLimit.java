package dev.plumb.rpc.registry;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How soon a target may be looked up again, as grpc-java's DNS resolver rules it: at any time
 * until a lookup succeeds, then no sooner than {@code networkaddress.cache.ttl} seconds after
 * the last success (the Java system property of that name; 30 s without it; 0: at every
 * refresh; negative: never again). gRPC asks for a new lookup whenever a connection is lost or
 * fails, so this keeps a crowd of failing connections from becoming a crowd of lookups. Not
 * thread-safe: used in one channel's synchronization context.
 */
final class ReResolutionLimit {
  static final String TTL_PROPERTY = "networkaddress.cache.ttl";
  static final long DEFAULT_TTL_SECONDS = 30;
  private static final Logger log = LoggerFactory.getLogger(ReResolutionLimit.class);

  /** Nanoseconds between lookups; 0 for none; negative for never again. */
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private boolean succeeded;
  private long succeededAt;

  ReResolutionLimit(long ttlSeconds, LongSupplier nanoTime) {
    this.ttlNanos = ttlSeconds > 0 ? TimeUnit.SECONDS.toNanos(ttlSeconds) : ttlSeconds;
    this.nanoTime = nanoTime;
  }

  /** With the TTL of the system property, on {@link System#nanoTime}. */
  static ReResolutionLimit fromSystemProperty() {
    return new ReResolutionLimit(ttlSeconds(System.getProperty(TTL_PROPERTY)), System::nanoTime);
  }

  static long ttlSeconds(String property) {
    if (property == null) {
      return DEFAULT_TTL_SECONDS;
    }
    try {
      return Long.parseLong(property.trim());
    } catch (NumberFormatException e) {
      log.warn("the system property {}={} is not a whole number of seconds; re-resolving"
          + " targets at most every {} s", TTL_PROPERTY, property, DEFAULT_TTL_SECONDS);
      return DEFAULT_TTL_SECONDS;
    }
  }

  /** Whether a lookup may start now. */
  boolean allowsLookUp() {
    return !succeeded || ttlNanos == 0
        || (ttlNanos > 0 && nanoTime.getAsLong() - succeededAt > ttlNanos);
  }

  /** A lookup that started after {@link #allowsLookUp} has succeeded. */
  void succeeded() {
    succeeded = true;
    succeededAt = nanoTime.getAsLong();
  }
}
