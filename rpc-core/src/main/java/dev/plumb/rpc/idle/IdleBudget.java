package dev.plumb.rpc.idle;

import java.util.concurrent.TimeUnit;

/**
 * How long a thread that polls for work stays awake before it blocks, and how it spends that
 * time, sized by the number of processors the JVM may use: the rule of every polling wait in
 * Plumb (the {@code shm:} readers, the socket transports' {@code idle=poll} mode).
 *
 * <p>Busy-spin only with a core to spare for it. A call keeps several threads busy at once (the
 * caller, a reader per side, maybe an executor thread), so with fewer than
 * {@value #SPIN_MIN_PROCESSORS} processors a spinning poller takes the core that the thread it
 * has just woken needs, and that thread waits until the scheduler preempts the spinner. There
 * the poller yields between polls from the start instead: {@link Thread#yield()} hands the core
 * to any thread that is ready and returns at once if none is, so work arriving meanwhile is
 * still seen within a yield. How long to stay awake at all does not depend on the cores: it
 * bounds what an idle connection costs, a small multiple of a wake-up (tens of µs).
 */
public final class IdleBudget {
  public static final int SPIN_MIN_PROCESSORS = 4;
  public static final long SPIN_MICROS = 50;
  public static final long YIELD_UNTIL_MICROS = 200;

  /** The budget of this JVM's processors, read once: what the JVM is given does not change. */
  public static final IdleBudget MACHINE =
      forProcessors(Runtime.getRuntime().availableProcessors());

  /** What a polling thread does next. */
  public enum Phase { SPIN, YIELD, SLEEP }

  private final long spinNanos;
  private final long yieldUntilNanos;

  private IdleBudget(long spinNanos, long yieldUntilNanos) {
    this.spinNanos = spinNanos;
    this.yieldUntilNanos = yieldUntilNanos;
  }

  public static IdleBudget forProcessors(int processors) {
    long spin = processors >= SPIN_MIN_PROCESSORS ? SPIN_MICROS : 0;
    return new IdleBudget(TimeUnit.MICROSECONDS.toNanos(spin),
        TimeUnit.MICROSECONDS.toNanos(YIELD_UNTIL_MICROS));
  }

  /** The phase of a thread that found no work for {@code idleNanos} and may block. */
  public Phase phase(long idleNanos) {
    if (idleNanos < spinNanos) {
      return Phase.SPIN;
    }
    return idleNanos < yieldUntilNanos ? Phase.YIELD : Phase.SLEEP;
  }

  /** The phase of a thread that never blocks: it spins only with a core to spare. */
  public Phase neverSleeping() {
    return spinNanos > 0 ? Phase.SPIN : Phase.YIELD;
  }

  /** Spins or yields once, as {@code phase} says; returns at once for {@link Phase#SLEEP}. */
  public static void pause(Phase phase) {
    if (phase == Phase.SPIN) {
      Thread.onSpinWait();
    } else if (phase == Phase.YIELD) {
      Thread.yield();
    }
  }
}
