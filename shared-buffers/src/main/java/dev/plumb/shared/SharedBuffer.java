package dev.plumb.shared;

import com.google.protobuf.ByteString;
import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A memory segment this process fills once and then hands to peers by reference, without
 * copying it: {@linkplain #allocate allocate}, {@linkplain #write write} (or stream into
 * {@link #outputStream}), {@linkplain #seal seal}, and put the {@link SharedBytes} that
 * {@link #seal} returns into any message field of that type. A receiver reads it in place
 * through {@link SharedBuffers#open}.
 *
 * <p>The segment is a Linux memfd: it has no name anywhere (nothing in {@code /dev/shm}), and
 * the kernel frees it once the last descriptor and mapping of it, in any process, are gone.
 * Writes go through its descriptor (one copy, into the segment's pages), never through a
 * writable mapping: sealing needs that no writable mapping is left, and Java 17 cannot take a
 * mapping away from code that still holds its {@code ByteBuffer} without risking a crash of the
 * JVM. {@link #seal} then fixes the bytes and the size for good, for this process and every
 * peer (memfd seals), so a receiver that checked the bytes can trust them.
 *
 * <p>{@link #close} drops this process's reference: a message sent earlier still carries the
 * segment to its receiver, views opened earlier stay valid, and later {@link SharedBuffers#open}
 * calls in this process fail. Thread-safe: writes to different ranges may run concurrently;
 * {@link #seal} and {@link #close} wait for the writes in progress.
 */
public final class SharedBuffer implements AutoCloseable {
  private enum State { WRITABLE, SEALED, CLOSED }

  private final Segment segment;
  /** Writes share it; seal and close take it alone, so no write runs into a sealed segment. */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  // Guarded by lock: read under either half, changed under the write half only.
  private FileChannel writable;
  private State state = State.WRITABLE;
  private SharedBytes reference;

  private SharedBuffer(Segment segment, FileChannel writable) {
    this.segment = segment;
    this.writable = writable;
  }

  /**
   * A new buffer of {@code size} zero bytes. Memory is taken as pages are written.
   *
   * @throws UnsupportedOperationException where the system has no memfd (not Linux)
   * @throws IOException if the system refuses the memory
   */
  public static SharedBuffer allocate(long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
    Segment segment = Segment.create(size);
    try {
      return new SharedBuffer(segment, segment.openWritable());
    } catch (IOException | RuntimeException e) {
      segment.close();
      throw e;
    }
  }

  /** The buffer's size in bytes, fixed at {@link #allocate}. */
  public long size() {
    return segment.length();
  }

  /**
   * Copies the remaining bytes of {@code source} into the buffer at {@code position}; the
   * source's position moves past them.
   *
   * @throws IndexOutOfBoundsException if they do not fit within {@link #size}
   * @throws IllegalStateException once the buffer is sealed or closed
   */
  public void write(long position, ByteBuffer source) throws IOException {
    Objects.requireNonNull(source, "source");
    if (position < 0 || position > size() - source.remaining()) {
      throw new IndexOutOfBoundsException(source.remaining() + " bytes at " + position
          + " do not fit in a shared buffer of " + size() + " bytes");
    }
    lock.readLock().lock();
    try {
      checkWritable();
      long at = position;
      while (source.hasRemaining()) {
        at += writable.write(source, at);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Copies {@code length} bytes of {@code bytes} from {@code offset} to {@code position}. */
  public void write(long position, byte[] bytes, int offset, int length) throws IOException {
    write(position, ByteBuffer.wrap(bytes, offset, length));
  }

  /**
   * A stream that writes the buffer from its start on, one write after the other; not
   * thread-safe itself. Closing it does not seal the buffer.
   */
  public OutputStream outputStream() {
    return new OutputStream() {
      private long position;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        SharedBuffer.this.write(position, bytes, offset, length);
        position += length;
      }
    };
  }

  /**
   * Seals the buffer, once: its bytes and size cannot change any more, in any process. Later
   * calls return the same reference.
   *
   * @return the reference to put into a message; it names this buffer to
   *     {@link SharedBuffers#open} for as long as it is open
   * @throws IllegalStateException if the buffer is closed
   */
  public SharedBytes seal() throws IOException {
    lock.writeLock().lock();
    try {
      if (state == State.SEALED) {
        return reference;
      }
      checkWritable();
      writable.close();
      writable = null;
      segment.seal();
      ByteString token = LocalSegments.register(segment);
      reference = SharedBytes.newBuilder().setToken(token).setLength(size()).build();
      state = State.SEALED;
      return reference;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether {@link #seal} has run. */
  public boolean isSealed() {
    lock.readLock().lock();
    try {
      return state == State.SEALED;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A read-only descriptor of the sealed segment, for a peer (what the attachment path sends
   * beside the message; docs/SHARED_BUFFERS.md). The caller closes it.
   *
   * @throws IllegalStateException unless the buffer is sealed and open
   */
  RandomAccessFile descriptorForPeer() throws IOException {
    lock.readLock().lock();
    try {
      if (state != State.SEALED) {
        throw new IllegalStateException("only a sealed shared buffer goes to a peer, this one is "
            + state);
      }
      return segment.reopenForPeer();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Drops this process's reference (idempotent). Views opened earlier, here or at a peer, stay
   * valid; the memory goes when the last of them is gone.
   */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      if (writable != null) {
        writable.close();
        writable = null;
      }
      if (reference != null) {
        LocalSegments.unregister(reference.getToken());
      }
      segment.close();
      state = State.CLOSED;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkWritable() {
    if (state != State.WRITABLE) {
      throw new IllegalStateException("the shared buffer is " + (state == State.SEALED
          ? "sealed: its bytes cannot change any more" : "closed"));
    }
  }

  @Override
  public String toString() {
    return "SharedBuffer{" + size() + " bytes}";
  }
}
