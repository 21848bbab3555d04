package dev.plumb.rpc.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls into gRPC that a session decides on under its lock and makes after releasing it:
 * stream listener events ({@code onReady}, {@code messagesAvailable}, {@code closed}, ...),
 * transport listener events, and the work gRPC hands the transport thread. An application on
 * {@code directExecutor()} runs its own code inside these calls and may block there on its
 * own locks, so none may run while a Plumb lock is held.
 *
 * <p>Calls run in the order they were added, one thread at a time, as gRPC's
 * {@code SynchronizationContext} runs its tasks: the thread that finds the queue idle runs
 * everything queued, including what is added meanwhile by itself or other threads; a thread
 * that finds another one running leaves its calls to it and returns. gRPC's stream state is
 * therefore only ever touched by one thread at a time, which is what it requires of a
 * transport thread.
 */
final class CallbackQueue {
  private static final Logger log = LoggerFactory.getLogger(CallbackQueue.class);

  /** The session lock; guards the queue and the draining flag. */
  private final Object lock;
  private final Object owner;
  private final ArrayDeque<Runnable> calls = new ArrayDeque<>();
  private boolean draining;

  CallbackQueue(Object lock, Object owner) {
    this.lock = lock;
    this.owner = owner;
  }

  /** Queues {@code call} behind the others. Under the lock. */
  void add(Runnable call) {
    calls.add(call);
  }

  /**
   * Runs the queued calls, unless another thread is running them or the caller holds the lock
   * (it will run them once it has released it). A call that throws is logged and the next one
   * runs: one failing listener must not silence the others.
   */
  void run() {
    if (Thread.holdsLock(lock)) {
      return;
    }
    synchronized (lock) {
      if (draining || calls.isEmpty()) {
        return;
      }
      draining = true;
    }
    boolean done = false;
    try {
      while (true) {
        Runnable call;
        synchronized (lock) {
          call = calls.poll();
          if (call == null) {
            draining = false;
            done = true;
            return;
          }
        }
        try {
          call.run();
        } catch (RuntimeException e) {
          log.error("{}: a gRPC callback failed", owner, e);
        }
      }
    } finally {
      if (!done) {
        // An Error escaped a call: let the next caller run what is left.
        synchronized (lock) {
          draining = false;
        }
      }
    }
  }
}
