package dev.plumb.rpc.internal;

import dev.plumb.rpc.idle.IdleBudget;
import dev.plumb.rpc.spi.CallerRead;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps a blocking stub's caller awake for a moment after its request went out, instead of
 * letting it park at once. gRPC's blocking stub parks the caller until the response's callbacks
 * reach its executor, and the unpark that ends the park costs a wake-up (tens of µs on a
 * virtual machine), more than a whole local round trip. A caller that waits here, polling as
 * the machine's {@link IdleBudget} says (busy-spin with cores to spare, else yield), sees the
 * response arrive, returns to gRPC, and finds the callbacks queued without sleeping.
 *
 * <p>Where the transport lets it ({@link CallerRead}), the caller reads the link itself while it
 * waits, and the transport's reader thread sleeps meanwhile: on a machine with few cores, a
 * reader polling beside the waiting caller takes turns on the core with it and with the peer.
 *
 * <p>The wait gives up when the budget's awake phases are over (a slow server: the caller then
 * parks as before) and is never entered by more than half the machine's processors at once, so
 * that many blocking callers cannot take the cores their responses need. The count is
 * per process: the cores are.
 */
final class BlockingCallerWait {
  static final BlockingCallerWait MACHINE = new BlockingCallerWait(IdleBudget.MACHINE,
      Math.max(1, Runtime.getRuntime().availableProcessors() / 2), System::nanoTime);

  private final IdleBudget budget;
  private final int maxWaiting;
  private final LongSupplier nanoTime;
  private final AtomicInteger waiting = new AtomicInteger();

  BlockingCallerWait(IdleBudget budget, int maxWaiting, LongSupplier nanoTime) {
    this.budget = budget;
    this.maxWaiting = maxWaiting;
    this.nanoTime = nanoTime;
  }

  /**
   * Polls {@code responded} until it is true or the budget's awake phases are over; returns at
   * once if {@link #maxWaiting} callers already wait. The caller holds no lock. With a
   * {@code read} turn the caller reads the link between polls, which is what makes
   * {@code responded} true; the caller closes the turn afterwards.
   *
   * @param read the caller's turn at reading its connection, or null if the transport's reader
   *     delivers the answer
   * @return whether {@code responded} became true
   */
  boolean await(BooleanSupplier responded, CallerRead read) {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return responded.getAsBoolean();
    }
    try {
      long start = nanoTime.getAsLong();
      while (!responded.getAsBoolean()) {
        if (read != null && read.poll()) {
          continue;  // Something came: maybe the answer; look before pausing.
        }
        IdleBudget.Phase phase = budget.phase(nanoTime.getAsLong() - start);
        if (phase == IdleBudget.Phase.SLEEP) {
          return false;
        }
        IdleBudget.pause(phase);
      }
      return true;
    } finally {
      waiting.decrementAndGet();
    }
  }
}
