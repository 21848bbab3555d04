package dev.plumb.transport.shm;

import java.util.concurrent.TimeUnit;

/**
 * How long a waiting thread of this machine busy-spins, then yields, before it sleeps: the
 * phases of {@link IdleStrategy}, sized by the number of processors the JVM may use.
 *
 * <p>The rule: busy-spin only with a core to spare for it. A unary call over {@code shm:} keeps
 * up to four threads busy at once (the caller, the two readers, the server's executor thread),
 * so with fewer than {@value #SPIN_MIN_PROCESSORS} processors a spinning reader takes the core
 * that the thread it has just woken (a caller parked in a blocking stub) needs, and that thread
 * waits until the scheduler preempts the spinner. There the waiting thread polls and yields
 * from the start instead: {@link Thread#yield()} hands the core to any thread that is ready
 * and returns at once if none is, so a record arriving meanwhile is still seen within a yield.
 * How long to stay awake at all (the yield phase) does not depend on the cores: it bounds what
 * an idle connection costs, a small multiple of a doorbell's wake-up (tens of µs).
 */
final class IdleBudget {
  static final int SPIN_MIN_PROCESSORS = 4;
  static final long SPIN_MICROS = 50;
  static final long YIELD_UNTIL_MICROS = 200;

  /** The budget of this JVM's processors, read once: what the JVM is given does not change. */
  static final IdleBudget MACHINE = forProcessors(Runtime.getRuntime().availableProcessors());

  /** What a waiting thread does next. */
  enum Phase { SPIN, YIELD, SLEEP }

  private final long spinNanos;
  private final long yieldUntilNanos;

  private IdleBudget(long spinNanos, long yieldUntilNanos) {
    this.spinNanos = spinNanos;
    this.yieldUntilNanos = yieldUntilNanos;
  }

  static IdleBudget forProcessors(int processors) {
    long spin = processors >= SPIN_MIN_PROCESSORS ? SPIN_MICROS : 0;
    return new IdleBudget(TimeUnit.MICROSECONDS.toNanos(spin),
        TimeUnit.MICROSECONDS.toNanos(YIELD_UNTIL_MICROS));
  }

  /** The phase of a thread idle for {@code idleNanos} that may sleep ({@code backoff}). */
  Phase phase(long idleNanos) {
    if (idleNanos < spinNanos) {
      return Phase.SPIN;
    }
    return idleNanos < yieldUntilNanos ? Phase.YIELD : Phase.SLEEP;
  }

  /** The phase of a thread that never sleeps ({@code spin}): it spins only with a core to spare. */
  Phase neverSleeping() {
    return spinNanos > 0 ? Phase.SPIN : Phase.YIELD;
  }
}
