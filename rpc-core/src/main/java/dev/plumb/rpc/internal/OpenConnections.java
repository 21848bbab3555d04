package dev.plumb.rpc.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Plumb connections this JVM has open (client and server sides, all transports). For
 * leak checks in tests and for diagnostics; a connection counts from the moment a session is
 * attached to it until its link is reported dead.
 */
public final class OpenConnections {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private OpenConnections() {}

  public static int count() {
    return COUNT.get();
  }

  static void opened() {
    COUNT.incrementAndGet();
  }

  static void closed() {
    COUNT.decrementAndGet();
  }
}
