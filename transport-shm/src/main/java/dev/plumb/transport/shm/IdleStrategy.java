package dev.plumb.transport.shm;

import java.util.concurrent.TimeUnit;

/**
 * How a thread that found nothing to do (an empty ring to read, a full ring to write) waits
 * before it tries again: the {@code idle} option of an {@code shm:} address.
 *
 * <ul>
 *   <li>{@link #BACKOFF} (default): {@link Thread#onSpinWait()} for {@value #SPIN_MICROS} µs,
 *       then {@link Thread#yield()} until {@value #YIELD_UNTIL_MICROS} µs, then the caller
 *       announces that it sleeps and parks until a doorbell (or the peer's death) wakes it.
 *       An idle connection costs no CPU once that quarter of a millisecond is over; a message
 *       arriving within the spin phase costs no wake-up (estimated at about 20–25 µs on a
 *       quiet virtual machine).
 *   <li>{@link #SPIN}: spin forever, never sleep. The lowest latency, for a core per waiting
 *       thread (a reader per connection end, and a writer while a ring is full).
 * </ul>
 */
enum IdleStrategy {
  BACKOFF("backoff"),
  SPIN("spin");

  static final long SPIN_MICROS = 50;
  static final long YIELD_UNTIL_MICROS = 200;
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);
  private static final long YIELD_UNTIL_NANOS = TimeUnit.MICROSECONDS.toNanos(YIELD_UNTIL_MICROS);

  private final String optionValue;

  IdleStrategy(String optionValue) {
    this.optionValue = optionValue;
  }

  String optionValue() {
    return optionValue;
  }

  /** One waiting thread's progress through the phases. Confined to that thread. */
  Idler idler() {
    return new Idler(this == SPIN);
  }

  static final class Idler {
    private final boolean spinOnly;
    private long idleSince;

    private Idler(boolean spinOnly) {
      this.spinOnly = spinOnly;
    }

    /** Work was found: the next idle period starts from the spin phase again. */
    void reset() {
      idleSince = 0;
    }

    /**
     * One idle round: spins or yields and returns false, or returns true when the spin and
     * yield phases are over and the caller should announce that it sleeps, re-check, and park.
     */
    boolean idle() {
      if (spinOnly) {
        Thread.onSpinWait();
        return false;
      }
      long now = System.nanoTime();
      if (idleSince == 0) {
        idleSince = now;
      }
      long idleFor = now - idleSince;
      if (idleFor < SPIN_NANOS) {
        Thread.onSpinWait();
        return false;
      }
      if (idleFor < YIELD_UNTIL_NANOS) {
        Thread.yield();
        return false;
      }
      return true;
    }
  }
}
