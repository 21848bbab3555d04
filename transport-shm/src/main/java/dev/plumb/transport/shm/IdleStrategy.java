package dev.plumb.transport.shm;

import dev.plumb.rpc.idle.IdleBudget;

/**
 * How a thread that found nothing to do (an empty ring to read, a full ring to write) waits
 * before it tries again: the {@code idle} option of an {@code shm:} address. The lengths of the
 * phases below are the machine's {@link IdleBudget}.
 *
 * <ul>
 *   <li>{@link #BACKOFF} (default): {@link Thread#onSpinWait()} for
 *       {@value IdleBudget#SPIN_MICROS} µs (only with {@value IdleBudget#SPIN_MIN_PROCESSORS}
 *       processors or more), then {@link Thread#yield()} until
 *       {@value IdleBudget#YIELD_UNTIL_MICROS} µs, then the caller announces that it sleeps and
 *       parks until a doorbell (or the peer's death) wakes it. An idle connection costs no CPU
 *       once that fifth of a millisecond is over; a message arriving before then costs no
 *       wake-up (estimated at about 20–25 µs on a quiet virtual machine).
 *   <li>{@link #SPIN}: never sleep. The lowest latency, for a core per waiting thread (a reader
 *       per connection end, and a writer while a ring is full); with fewer processors than
 *       {@value IdleBudget#SPIN_MIN_PROCESSORS} it yields between polls instead of busy-spinning.
 * </ul>
 */
enum IdleStrategy {
  BACKOFF("backoff"),
  SPIN("spin");

  private final String optionValue;

  IdleStrategy(String optionValue) {
    this.optionValue = optionValue;
  }

  String optionValue() {
    return optionValue;
  }

  /** One waiting thread's progress through the phases. Confined to that thread. */
  Idler idler() {
    return new Idler(this == SPIN, IdleBudget.MACHINE);
  }

  static final class Idler {
    private final boolean neverSleeps;
    private final IdleBudget budget;
    private long idleSince;

    private Idler(boolean neverSleeps, IdleBudget budget) {
      this.neverSleeps = neverSleeps;
      this.budget = budget;
    }

    /** Work was found: the next idle period starts from the first phase again. */
    void reset() {
      idleSince = 0;
    }

    /**
     * One idle round: spins or yields and returns false, or returns true when the spin and
     * yield phases are over and the caller should announce that it sleeps, re-check, and park.
     */
    boolean idle() {
      IdleBudget.Phase phase = neverSleeps ? budget.neverSleeping() : budget.phase(idleFor());
      IdleBudget.pause(phase);
      return phase == IdleBudget.Phase.SLEEP;
    }

    private long idleFor() {
      long now = System.nanoTime();
      if (idleSince == 0) {
        idleSince = now;
      }
      return now - idleSince;
    }
  }
}
