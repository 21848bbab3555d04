package dev.plumb.transport.shm;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The sleeping half of the doorbell protocol ({@link SpscRing}'s class comment): announce,
 * re-check, park. The waking half is the other side's {@link SpscRing#takeConsumerSleeps} or
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
   * Consumer: the ring was empty through the idle strategy's spin and yield phases. Sleeps until
   * a doorbell (or a spurious wake-up, or {@code stopping}'s unpark); returns at once if a
   * record arrived meanwhile. The caller polls again either way.
   */
  static void sleepUntilRecord(SpscRing ring, BooleanSupplier stopping, Object blocker) {
    // A record published before the producer could see the flag is seen by the re-check; one
    // published after it brings a doorbell.
    if (ring.announceConsumerSleepsAndRecheck() && !stopping.getAsBoolean()) {
      LockSupport.park(blocker);
    }
    ring.clearConsumerSleeps();
  }

  /**
   * Producer: the ring had no room for a record of {@code length} bytes through the spin and
   * yield phases. Sleeps until a doorbell, {@code deadline} (a {@link System#nanoTime}, or 0
   * for none) or {@code stopping}'s unpark; returns at once if room appeared meanwhile.
   */
  static void sleepUntilRoom(SpscRing ring, int length, BooleanSupplier stopping, long deadline,
      Object blocker) {
    // As above, for freed space.
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
