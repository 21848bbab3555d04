package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting for what the garbage collector lets go: a received buffer goes once the reference
 * that names it is garbage, a mapping once no buffer over it is reachable.
 */
final class Collected {
  private Collected() {}

  /** Waits, up to 30 s, until {@code condition} holds, asking the collector along the way. */
  static void await(BooleanSupplier condition, String failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, failure);
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
