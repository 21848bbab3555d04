package dev.plumb.rpc.frame;

/**
 * Heap arrays for frame payloads, lent out and given back so that large messages do not
 * allocate (and zero) a fresh array per frame on each side of a connection: the framer's
 * buffers on the way out, the decoder's payloads on the way in.
 *
 * <p>Arrays come in power-of-two size classes from {@link #SMALLEST} to {@link #LARGEST}
 * bytes; lengths outside that range are not pooled ({@link #take} returns null and the caller
 * allocates as before): small payloads cost less to allocate than to track. Each class keeps
 * at most {@link #BYTES_PER_CLASS} bytes of free arrays (and at least two), so the pool
 * never holds more than {@code 11 × 2 MiB} in all, and only for the classes in use; an array
 * given back to a full class is dropped. The pool never zeroes an array: a borrower reads
 * only the bytes it wrote.
 *
 * <p>Thread-safe: arrays are often taken on one thread (a reader) and given back on another
 * (an application thread done with a message). Each class has its own lock, held for a push
 * or a pop.
 */
public final class PayloadPool {
  /** The smallest pooled length: below it, allocating is cheaper than lending. */
  public static final int SMALLEST = 1 << 10;
  /** The largest pooled length; larger frames (beyond the 64 KiB default) are allocated. */
  public static final int LARGEST = 1 << 20;
  static final int BYTES_PER_CLASS = 2 << 20;

  private static final int SMALLEST_SHIFT = Integer.numberOfTrailingZeros(SMALLEST);
  private static final PayloadPool SHARED = new PayloadPool();

  private final SizeClass[] classes;

  PayloadPool() {
    int count = Integer.numberOfTrailingZeros(LARGEST) - SMALLEST_SHIFT + 1;
    classes = new SizeClass[count];
    for (int i = 0; i < count; i++) {
      classes[i] = new SizeClass(SMALLEST << i);
    }
  }

  /** The pool of this JVM, shared by every connection and stream. */
  public static PayloadPool shared() {
    return SHARED;
  }

  /**
   * Lends an array of at least {@code length} bytes, with one reference for the caller; or
   * null if lengths like this are not pooled.
   */
  public PooledBytes take(int length) {
    if (length < SMALLEST || length > LARGEST) {
      return null;
    }
    SizeClass sizeClass = classes[classIndex(length)];
    byte[] array = sizeClass.pop();
    return new PooledBytes(this, array != null ? array : new byte[sizeClass.size]);
  }

  /** Called by the last release of a {@link PooledBytes}. */
  void giveBack(byte[] array) {
    int index = classIndex(array.length);
    if (classes[index].size == array.length) {
      classes[index].push(array);
    }
  }

  /** Free arrays held for {@code length}'s class, for tests. */
  int freeArrays(int length) {
    return classes[classIndex(length)].free();
  }

  /** The class whose size is the smallest power of two ≥ {@code length}. */
  private static int classIndex(int length) {
    int shift = 32 - Integer.numberOfLeadingZeros(Math.max(length, SMALLEST) - 1);
    return shift - SMALLEST_SHIFT;
  }

  /** Free arrays of one size: a bounded stack. */
  private static final class SizeClass {
    final int size;
    private final byte[][] stack;
    private int count;

    SizeClass(int size) {
      this.size = size;
      this.stack = new byte[Math.max(2, BYTES_PER_CLASS / size)][];
    }

    synchronized byte[] pop() {
      if (count == 0) {
        return null;
      }
      byte[] array = stack[--count];
      stack[count] = null;
      return array;
    }

    synchronized void push(byte[] array) {
      if (count < stack.length) {
        stack[count++] = array;
      }
    }

    synchronized int free() {
      return count;
    }
  }
}
