package dev.plumb.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A sealed shared buffer, opened read-only ({@link SharedBuffers#open}): its bytes, mapped in
 * place, as read-only {@link ByteBuffer}s.
 *
 * <p>The buffers it returns stay valid after {@link #close}, for as long as the application
 * reaches them: close drops Plumb's descriptor, and the garbage collector unmaps a mapping once
 * no buffer over it is reachable. Plumb never unmaps one itself, since Java 17 cannot stop a
 * thread that still holds the buffer from touching the unmapped address, which would crash the
 * JVM. So the memory of a large buffer goes some time after the last reference to it: drop
 * references early, and keep windows ({@link #buffer(long, int)}) small where memory is tight.
 *
 * <p>Thread-safe.
 */
public final class SharedBufferView implements AutoCloseable {
  private final FileChannel channel;
  private final long length;
  private final boolean sharedMemory;
  /** The mapping of the whole buffer, made by the first {@link #buffer()}; under the monitor. */
  private MappedByteBuffer whole;
  /** Under the monitor, as every mapping is made: none is made from a closed channel. */
  private boolean closed;

  SharedBufferView(FileChannel channel, long length, boolean sharedMemory) {
    this.channel = channel;
    this.length = length;
    this.sharedMemory = sharedMemory;
  }

  /** The buffer's length in bytes. */
  public long length() {
    return length;
  }

  /**
   * Whether the bytes are the sender's own memory, mapped in place, rather than a private copy
   * that arrived inline (a peer over a link that cannot pass descriptors).
   */
  public boolean isSharedMemory() {
    return sharedMemory;
  }

  /**
   * The whole buffer, read-only, from position 0; each call returns a new buffer over the same
   * mapping, with its own position and limit.
   *
   * @throws UnsupportedOperationException if it is longer than a {@code ByteBuffer} can be
   *     (2^31-1 bytes): read it in windows
   * @throws IllegalStateException once closed
   */
  public synchronized ByteBuffer buffer() {
    if (length > Integer.MAX_VALUE) {
      throw new UnsupportedOperationException("the shared buffer has " + length
          + " bytes, more than one ByteBuffer holds: read it through buffer(offset, length)");
    }
    checkOpen();
    if (whole == null) {
      whole = map(0, (int) length);
    }
    return whole.duplicate();
  }

  /**
   * {@code length} bytes from {@code offset}, read-only: a mapping of its own.
   *
   * @throws IndexOutOfBoundsException if the window does not lie within the buffer
   * @throws IllegalStateException once closed
   */
  public synchronized ByteBuffer buffer(long offset, int length) {
    if (offset < 0 || length < 0 || offset > this.length - length) {
      throw new IndexOutOfBoundsException("window of " + length + " bytes at " + offset
          + " does not lie within a shared buffer of " + this.length + " bytes");
    }
    return map(offset, length);
  }

  private MappedByteBuffer map(long offset, int size) {
    checkOpen();
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, offset, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map a shared buffer: " + e.getMessage(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the shared buffer view is closed");
    }
  }

  /** Drops Plumb's descriptor (idempotent); buffers returned earlier stay readable. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }

  @Override
  public String toString() {
    return "SharedBufferView{" + length + " bytes, "
        + (sharedMemory ? "shared memory" : "private copy") + "}";
  }
}
