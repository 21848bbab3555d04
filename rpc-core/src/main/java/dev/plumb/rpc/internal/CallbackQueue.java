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

  /** The session lock; guards {@link #calls}, {@link #draining} and {@link #drainer}. */
  private final Object lock;
  private final Object owner;
  /** The calls added and not yet taken by the draining thread. */
  private ArrayDeque<Runnable> calls = new ArrayDeque<>();
  /**
   * An empty queue to put in place of {@link #calls} when the draining thread takes them.
   * Only the draining thread touches it (there is one at a time, as {@link #draining} says).
   */
  private ArrayDeque<Runnable> spare = new ArrayDeque<>();
  private boolean draining;
  /**
   * The thread running the calls, or null. Written under the lock; read without it only to
   * ask "is it me?", which needs no lock: a thread always sees its own writes, and never
   * finds itself in a value it did not write.
   */
  private Thread drainer;

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
   *
   * <p>The draining thread takes every queued call at once and runs them with the lock
   * released, then takes what was added meanwhile, until nothing is left: two lock sections
   * per burst of calls rather than one per call.
   */
  void run() {
    // Called from inside a call this thread is running: it runs the new calls next anyway.
    // Asked first because it is a field read, where holdsLock is a call into the VM (a
    // tenth of a streaming side's time when every nested call asked it).
    if (drainer == Thread.currentThread() || Thread.holdsLock(lock)) {
      return;
    }
    ArrayDeque<Runnable> taken;
    synchronized (lock) {
      if (draining || calls.isEmpty()) {
        return;
      }
      draining = true;
      drainer = Thread.currentThread();
      taken = takeAll();
    }
    boolean done = false;
    try {
      while (true) {
        runEach(taken);
        synchronized (lock) {
          if (calls.isEmpty()) {
            draining = false;
            drainer = null;
            done = true;
            return;
          }
          taken = takeAll();
        }
      }
    } finally {
      if (!done) {
        // An Error escaped a call: put back what was not run, ahead of what came since, and
        // let the next caller run it.
        synchronized (lock) {
          while (!taken.isEmpty()) {
            calls.addFirst(taken.pollLast());
          }
          draining = false;
          drainer = null;
        }
      }
    }
  }

  /** Takes the queued calls, leaving an empty queue. Under the lock, by the draining thread. */
  private ArrayDeque<Runnable> takeAll() {
    ArrayDeque<Runnable> taken = calls;
    calls = spare;
    spare = taken;
    return taken;
  }

  /** Runs and removes every call of {@code taken}, in order. */
  private void runEach(ArrayDeque<Runnable> taken) {
    Runnable call;
    while ((call = taken.poll()) != null) {
      try {
        call.run();
      } catch (RuntimeException e) {
        log.error("{}: a gRPC callback failed", owner, e);
      }
    }
  }
}
