package dev.plumb.transport.shm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Whose turn it is to consume a connection's inbound ring: its reader thread's, or a blocking
 * caller's that reads its own answer ({@link dev.plumb.rpc.spi.CallerRead}). One thread at a
 * time holds the turn, and only the holder polls the ring or touches its "consumer sleeps"
 * flag. Taking the turn is an acquire and giving it back a release, so the ring's consumer
 * state, the frame decoder and the rest of what the holder touches pass from one holder to the
 * next with everything the last one did visible.
 *
 * <p>A caller's turn, and what keeps a record from waiting unread:
 * <ul>
 *   <li>The caller takes the turn and clears the flag, so that the peer does not ring a doorbell
 *       for records the caller reads anyway. The reader, finding the turn taken, parks without
 *       announcing anything ({@link #readerAwaitsCaller}).
 *   <li>Giving back ({@link #giveBackFromCaller}), the caller announces in the flag that the
 *       consumer sleeps and re-checks the ring, as the reader does before it parks
 *       ({@link RingWaits}): a record published before the announcement is found by the
 *       re-check, and then the reader is woken to read it; one published after it makes the peer
 *       ring, and the doorbell wakes the reader. So after a caller's turn the reader sleeps,
 *       as it would after its own idle phases, and a caller that gets its answer in time costs
 *       no wake-up on either side.
 *   <li>A doorbell can reach the reader while the caller still holds the turn, after its
 *       re-check; the reader then finds the turn taken and would park again, and the record
 *       would wait. So a reader woken by a doorbell (or by the connection ending) says that it
 *       waits before it parks, and the caller, having released the turn, unparks a waiting
 *       reader: Dekker's handshake again, on {@link #holder} and {@link #readerWaits}, whose
 *       volatile accesses are sequentially consistent. Either the reader's look at the turn
 *       after its store sees it free, or the caller's load after its release sees the reader
 *       waiting.
 * </ul>
 *
 * <p>Closing takes the turn for good ({@link #closeForGood}) before the segment is unmapped, so
 * that no caller touches the ring afterwards.
 */
final class ConsumerTurn {
  private static final Object CLOSED = new Object();

  private final SpscRing ring;
  /** The thread holding the turn, {@link #CLOSED}, or null when nobody reads. */
  private final AtomicReference<Object> holder = new AtomicReference<>();
  /** The reader parked while a caller held the turn and must be woken when it is free. */
  private volatile boolean readerWaits;
  /** A doorbell (or the connection's end) woke the reader since it last held the turn. */
  private volatile boolean readerWoken;
  private volatile Thread reader;

  /**
   * Reader-confined: it parked since it last held the turn, so the flag may still say that it
   * sleeps (its own announcement, or a caller's made for it).
   */
  private boolean readerParked;

  ConsumerTurn(SpscRing ring) {
    this.ring = ring;
  }

  /** The connection's reader thread, before it first takes the turn. */
  void setReader(Thread reader) {
    this.reader = reader;
  }

  /**
   * Reader: takes the turn if nobody holds it, and after a park clears the flag: it is awake
   * and polls.
   */
  boolean readerTakes() {
    if (!holder.compareAndSet(null, Thread.currentThread())) {
      return false;
    }
    if (readerWoken) {
      readerWoken = false;  // Read first: a volatile store on every poll would cost a fence.
    }
    if (readerParked) {
      ring.clearConsumerSleeps();
      readerParked = false;
    }
    return true;
  }

  /**
   * Reader: gives the turn back. A release store is enough here: the next holder's CAS is the
   * acquire that sees the reader's ring accesses (only a caller's give-back needs the full
   * ordering of Dekker's handshake).
   */
  void readerReleases() {
    holder.setRelease(null);
  }

  /**
   * Reader, its idle phases over and the ring empty: announces that it sleeps and re-checks,
   * holding the turn, then parks until a doorbell (or {@code stopping}'s unpark) unless the
   * re-check found a record; {@link RingWaits} says why no wake-up is lost. Returns at once if a
   * caller holds the turn. The caller polls again either way.
   */
  void readerSleepsUntilRecord(BooleanSupplier stopping, Object blocker) {
    if (!readerTakes()) {
      return;
    }
    boolean empty;
    try {
      empty = ring.announceConsumerSleepsAndRecheck();
    } finally {
      readerReleases();
    }
    readerParked = true;
    // A caller that takes the turn now clears the flag and polls itself.
    if (empty && !stopping.getAsBoolean()) {
      LockSupport.park(blocker);
    }
  }

  /** Whether the calling thread holds the turn. */
  boolean heldByCurrentThread() {
    return holder.get() == Thread.currentThread();
  }

  /**
   * A caller takes the turn for the time of its wait, and clears the flag: it polls the ring
   * itself, so the peer need not ring. False if the reader or another caller holds it.
   */
  boolean takeForCaller() {
    if (!holder.compareAndSet(null, Thread.currentThread())) {
      return false;
    }
    ring.clearConsumerSleeps();
    return true;
  }

  /**
   * The caller gives the turn back: announces that the consumer sleeps and re-checks, releases,
   * and wakes the reader if the ring holds records, the reader waits, or {@code ending}.
   */
  void giveBackFromCaller(boolean ending) {
    boolean empty = ring.announceConsumerSleepsAndRecheck();
    if (!empty) {
      ring.clearConsumerSleeps();  // The reader is woken below and reads them.
    }
    holder.set(null);
    // After the release, a volatile load: see the class comment for why none is lost.
    if (!empty || ending || readerWaits) {
      LockSupport.unpark(reader);
    }
  }

  /** The watcher: a doorbell for the reader came. Set before the reader is unparked. */
  void doorbellForReader() {
    readerWoken = true;
  }

  /**
   * Reader: a caller holds the turn. Parks until the caller gives it back (if a doorbell woke
   * the reader or the connection is ending, so that the caller knows to wake it), or until a
   * doorbell or the connection's end wakes it.
   */
  void readerAwaitsCaller(boolean ending, Object blocker) {
    readerParked = true;  // The caller announces "sleeps" for the reader when it gives back.
    if (readerWoken || ending) {
      readerWaits = true;
      if (holder.get() == null) {
        readerWaits = false;  // Given back meanwhile: take it.
        return;
      }
    }
    LockSupport.park(blocker);
    readerWaits = false;
  }

  /**
   * Takes the turn for good, once the reader is done: waits up to {@code timeoutMillis} for a
   * caller to give it back (a caller gives it back within its wait, or once the frames it is
   * delivering are handled). False if a caller kept it: the ring must then stay mapped.
   */
  boolean closeForGood(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!holder.compareAndSet(null, CLOSED)) {
      if (holder.get() == CLOSED) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.yield();  // A caller finishing its turn; it never waits on this thread.
    }
    return true;
  }
}
