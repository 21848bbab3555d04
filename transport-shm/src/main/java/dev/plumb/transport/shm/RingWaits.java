package dev.plumb.transport.shm;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The sleeping half of the doorbell protocol ({@link SpscRing}'s class comment): announce,
 * re-check, park. Here for a producer waiting for room; a consumer sleeps the same way, holding
 * its {@link ConsumerTurn} for the announcement ({@link ConsumerTurn#readerSleepsUntilRecord}).
 * The waking half is the other side's {@link SpscRing#takeConsumerSleeps} or
 * {@link SpscRing#takeProducerWaits} after it published or freed, followed by a doorbell that
 * ends in {@link LockSupport#unpark} of the sleeper.
 *
 * <p>Why no wake-up is lost: the sleeper stores its flag, fences, then loads the ring's counter
 * (the re-check); the waker stores the counter, fences, then loads the flag ({@link WakeUpFlag}).
 * Whichever way the two interleave, either the re-check sees the waker's record (or space) and
 * the sleeper does not park, or the waker sees the flag and rings. A doorbell whose unpark comes
 * before the park is not lost either: the unpark leaves a permit that makes the park return at
 * once.
 */
final class RingWaits {
  private RingWaits() {}

  /**
   * Producer: the ring had no room for a record of {@code length} bytes through the spin and
   * yield phases. Sleeps until a doorbell, {@code deadline} (a {@link System#nanoTime}, or 0
   * for none) or {@code stopping}'s unpark; returns at once if room appeared meanwhile.
   */
  static void sleepUntilRoom(SpscRing ring, int length, BooleanSupplier stopping, long deadline,
      Object blocker) {
    // Space freed before the consumer could see the flag is seen by the re-check; space freed
    // after it brings a doorbell.
    if (ring.announceProducerWaitsAndRecheck(length) && !stopping.getAsBoolean()) {
      if (deadline != 0) {
        LockSupport.parkNanos(blocker, Math.max(1, deadline - System.nanoTime()));
      } else {
        LockSupport.park(blocker);
      }
    }
    ring.clearProducerWaits();
  }
}
