package dev.plumb.rpc.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A heap array lent by a {@link PayloadPool}, shared by the frames and buffers that hold its
 * bytes. Each holder owns one reference: it {@link #retain retains} one for every other
 * holder it makes (a slice, a part of a split frame) and {@link #release releases} its own
 * when it no longer reads the bytes. The last release gives the array back to the pool, which
 * may lend it out at once, so nobody may touch the bytes after releasing.
 *
 * <p>A reference that is never released costs nothing but a pool miss: the array is left to
 * the garbage collector. Releasing more often than retaining is a bug, and fails loudly: two
 * owners of one array would see each other's bytes.
 *
 * <p>Thread-safe: holders on different threads may retain and release concurrently.
 */
public final class PooledBytes {
  /** Atomic access to {@link #references}, without an AtomicInteger per lent array. */
  private static final VarHandle REFERENCES;

  static {
    try {
      REFERENCES = MethodHandles.lookup().findVarHandle(PooledBytes.class, "references", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PayloadPool pool;
  private final byte[] array;
  /** Holders; 0 once the array went back to the pool. Changed only through REFERENCES. */
  private volatile int references = 1;

  PooledBytes(PayloadPool pool, byte[] array) {
    this.pool = pool;
    this.array = array;
  }

  /** The lent array; its length is at least what was asked for. */
  public byte[] array() {
    return array;
  }

  /**
   * Adds a holder. Only a current holder may call this.
   *
   * @throws IllegalStateException if the last holder released it already: the array may be
   *     lent to someone else by now
   */
  public PooledBytes retain() {
    // Compare-and-set, never a blind increment: the count must not pass through 1 again once
    // it reached 0, not even for an instant, or a concurrent retain would succeed on an array
    // already back in the pool (and a concurrent release would give it back twice).
    int before;
    do {
      before = references;
      if (before <= 0) {
        throw new IllegalStateException("retained after its last release: " + this);
      }
    } while (!REFERENCES.compareAndSet(this, before, before + 1));
    return this;
  }

  /** Drops this holder's reference; the last one gives the array back to the pool. */
  public void release() {
    // The decrement is a full fence: this holder's reads of the bytes happen before the
    // array goes back to the pool and to its next borrower.
    int after = (int) REFERENCES.getAndAdd(this, -1) - 1;
    if (after == 0) {
      pool.giveBack(array);
    } else if (after < 0) {
      throw new IllegalStateException("released more often than retained: " + this);
    }
  }

  /** Current holders, for tests. */
  int references() {
    return references;
  }

  @Override
  public String toString() {
    return "PooledBytes{" + array.length + " bytes, references=" + references + "}";
  }
}
