package dev.plumb.shared;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A sealed segment that arrived from a peer beside a message: the sender's own pages (by
 * descriptor) or a private copy of them (inline), held through a descriptor of this process
 * whose seals and length were checked once, when it arrived. The seals fix the bytes, the size
 * and the seals themselves for every holder, for good, so a view needs no second check: each
 * maps through a duplicate of the descriptor. The descriptor keeps the mode its peer opened it
 * in, which may be read-write; the seals refuse every write and writable shared mapping
 * through any descriptor, and a view maps read-only. The content of the core's
 * {@code ReceivedAttachment}; {@link ReceivedBindings} holds it while its message lives.
 *
 * <p>Thread-safe. Duplicating and closing hold the monitor, so that a duplicate never follows
 * the number of a closed descriptor to whatever file the kernel gave that number next.
 */
final class ReceivedSegment implements AutoCloseable {
  private final FileChannel channel;
  private final FileDescriptor descriptor;
  private final long length;
  private final boolean sharedMemory;
  private boolean closed;

  /**
   * A segment held through {@code channel}, over {@code descriptor}, both its own from now on:
   * sealed, {@code length} bytes long, checked by the caller.
   */
  ReceivedSegment(FileChannel channel, FileDescriptor descriptor, long length,
      boolean sharedMemory) {
    this.channel = channel;
    this.descriptor = descriptor;
    this.length = length;
    this.sharedMemory = sharedMemory;
  }

  /** A private copy of a segment: {@code file}, a read-only descriptor of a sealed memfd. */
  static ReceivedSegment ofCopy(RandomAccessFile file, long length) throws IOException {
    return new ReceivedSegment(file.getChannel(), file.getFD(), length, false);
  }

  /**
   * A read-only view of its own, which outlives this object's {@link #close}.
   *
   * @throws IOException if the segment is not {@code length} bytes long (a reference that
   *     does not match what came with it)
   * @throws IllegalStateException once closed
   */
  synchronized SharedBufferView open(long length) throws IOException {
    checkOpen();
    Segment.checkLength(this.length, length);
    FileChannel duplicate = FileDescriptorCast.duplicating(descriptor)
        .as(FileInputStream.class).getChannel();
    return new SharedBufferView(duplicate, length, sharedMemory);
  }

  /**
   * A read-only descriptor for another peer: a received buffer may be passed on. Opened by
   * path, read-only whatever the peer's descriptor allowed.
   */
  synchronized RandomAccessFile reopenForPeer() throws IOException {
    checkOpen();
    return new RandomAccessFile(Segment.procPath(
        FileDescriptorCast.using(descriptor).as(Integer.class)), "r");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the received shared buffer is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        // A descriptor of sealed memory: nothing to tell anyone.
      }
    }
  }
}
