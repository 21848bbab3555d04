package dev.plumb.rpc.kit;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bound on a connection's end. Once armed, it gives the thread that ends the connection
 * gracefully (a writer sending what is queued and half-closing) a fixed time, then, if that
 * thread is still at it, runs {@code force} on a thread of its own: closing the link frees a
 * writer stuck in a write to a peer that does not read, and the end gets reported all the same.
 *
 * <p>Armed at most once (a compare-and-set), so concurrent closes and failures start one thread;
 * that thread holds no lock, so {@code force} may call the connection's handler.
 */
final class ClosingDeadline {
  private final AtomicBoolean armed = new AtomicBoolean();
  private final String threadName;
  private final long millis;
  private final Runnable force;

  ClosingDeadline(String threadName, long millis, Runnable force) {
    this.threadName = threadName;
    this.millis = millis;
    this.force = force;
  }

  /** Gives {@code ending} {@link #millis} from now to finish; the first call only. */
  void arm(Thread ending) {
    if (!armed.compareAndSet(false, true)) {
      return;
    }
    DaemonThreads.newThread(threadName, () -> {
      try {
        ending.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();  // Nobody interrupts this thread; force anyway.
      }
      if (ending.isAlive()) {
        force.run();
      }
    }).start();
  }
}
