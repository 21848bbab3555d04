package dev.plumb.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * A single-producer, single-consumer ring of bytes in shared memory, seen as a blocking byte
 * stream: one thread of one process writes through {@link #out()}, one thread of another reads
 * through {@link #in()}. The raw shared-memory mechanism of the benchmarks (not Plumb's
 * {@code shm:} ring, which frames records and wakes sleepers through a socket).
 *
 * <p>Layout, from the buffer's position 0 (8-byte aligned; a mapped file is page-aligned):
 * the {@code tail} (bytes ever written) at 0, the {@code head} (bytes ever read) at 128, the
 * {@code closed} flag at 256, each on a cache-line pair of its own so the two sides do not
 * write to one line; the data from 384, {@code capacity} bytes, a power of two.
 *
 * <p>Memory ordering: the writer copies bytes in with plain stores, then publishes the new
 * {@code tail} with a release store; the reader loads {@code tail} with acquire, after which
 * those bytes are visible, copies them out, then publishes {@code head} with release; the
 * writer loads {@code head} with acquire before reusing that space. One writer per counter,
 * no CAS. Across processes this relies on the hardware's ordering of the same mapped memory,
 * which VarHandles' release/acquire compile to (on x86, plain moves and compiler barriers).
 *
 * <p>Waiting ({@link Backoff}): spin, then yield, then sleep in short steps, so a ping-pong
 * between two running threads never enters the kernel, while an idle ring costs little.
 */
public final class ByteRing {
  private static final int TAIL = 0;
  private static final int HEAD = 128;
  private static final int CLOSED = 256;
  private static final int DATA = 384;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final ByteBuffer buffer;
  private final int capacity;
  private final int mask;

  /** A ring over {@code buffer}'s bytes from 0 to {@code length(capacity)}; counters as found. */
  public ByteRing(ByteBuffer buffer, int capacity) {
    if (Integer.bitCount(capacity) != 1 || !buffer.isDirect()
        || buffer.capacity() < length(capacity)) {
      throw new IllegalArgumentException("a ring of " + capacity + " bytes needs a direct "
          + "buffer of " + length(capacity) + " bytes and a power-of-two capacity");
    }
    this.buffer = buffer.slice(0, length(capacity)).order(ByteOrder.nativeOrder());
    this.capacity = capacity;
    this.mask = capacity - 1;
  }

  /** Bytes of shared memory a ring of {@code capacity} data bytes takes. */
  public static int length(int capacity) {
    return DATA + capacity;
  }

  /** Ends the stream both ways: the reader sees end-of-file once the ring is empty, a writer fails. */
  public void close() {
    LONGS.setRelease(buffer, CLOSED, 1L);
  }

  private boolean closed() {
    return (long) LONGS.getAcquire(buffer, CLOSED) != 0;
  }

  /** The writing end; one thread only. {@code flush} does nothing: each write is published. */
  public OutputStream out() {
    return new OutputStream() {
      private final Backoff backoff = new Backoff();
      private long tail = (long) LONGS.getAcquire(buffer, TAIL);
      /** The reader's head when last loaded; re-read only when the ring looks full. */
      private long head = (long) LONGS.getAcquire(buffer, HEAD);

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
          while (tail - head == capacity) {
            if (closed()) {
              throw new IOException("the shared-memory ring is closed");
            }
            backoff.idle();
            head = (long) LONGS.getAcquire(buffer, HEAD);
          }
          backoff.reset();
          int at = (int) (tail & mask);
          int n = (int) Math.min(length, Math.min(capacity - (tail - head), capacity - at));
          buffer.put(DATA + at, bytes, offset, n);
          tail += n;
          LONGS.setRelease(buffer, TAIL, tail);
          offset += n;
          length -= n;
        }
      }
    };
  }

  /** The reading end; one thread only. A read returns what is there, at least one byte. */
  public InputStream in() {
    return new InputStream() {
      private final Backoff backoff = new Backoff();
      private long head = (long) LONGS.getAcquire(buffer, HEAD);
      /** The writer's tail when last loaded; re-read only when the ring looks empty. */
      private long tail = (long) LONGS.getAcquire(buffer, TAIL);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
          return 0;
        }
        while (tail == head) {
          tail = (long) LONGS.getAcquire(buffer, TAIL);
          if (tail != head) {
            break;
          }
          if (closed()) {
            // A last look: the writer may have published bytes before it closed.
            tail = (long) LONGS.getAcquire(buffer, TAIL);
            if (tail == head) {
              return -1;
            }
            break;
          }
          backoff.idle();
        }
        backoff.reset();
        int at = (int) (head & mask);
        int n = (int) Math.min(length, Math.min(tail - head, capacity - at));
        buffer.get(DATA + at, into, offset, n);
        head += n;
        LONGS.setRelease(buffer, HEAD, head);
        return n;
      }
    };
  }

  /**
   * Spin, then yield, then sleep: the first {@value #SPINS} rounds only pause the CPU (an
   * answer from a peer that is running comes within microseconds), the next {@value #YIELDS}
   * give the core away in case the peer waits for it (two cores, shared), and from then on the
   * thread sleeps {@value #SLEEP_NANOS} ns a round, so an idle ring does not hold a core. The
   * sleep costs a wake-up when data comes during it; a ping-pong between two running threads
   * does not get that far, one whose peer was descheduled may.
   */
  static final class Backoff {
    static final int SPINS = 2_000;
    static final int YIELDS = 200;
    static final long SLEEP_NANOS = 50_000;
    private int rounds;

    void idle() {
      rounds++;
      if (rounds <= SPINS) {
        Thread.onSpinWait();
      } else if (rounds <= SPINS + YIELDS) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(SLEEP_NANOS);
      }
    }

    void reset() {
      rounds = 0;
    }
  }
}
