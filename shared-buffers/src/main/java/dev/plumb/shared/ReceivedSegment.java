package dev.plumb.shared;

import java.io.IOException;
import java.io.RandomAccessFile;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A sealed segment that arrived from a peer beside a message: the sender's own pages (by
 * descriptor) or a private copy of them (inline), held through a read-only descriptor of this
 * process. The content of the core's {@code ReceivedAttachment}; {@link ReceivedBindings}
 * holds it while its message lives.
 *
 * <p>Thread-safe. Reopening and closing hold the monitor, so that a reopen never follows the
 * number of a closed descriptor to whatever file the kernel gave that number next.
 */
final class ReceivedSegment implements AutoCloseable {
  private final RandomAccessFile file;
  private final int fd;
  private final boolean sharedMemory;
  private boolean closed;

  private ReceivedSegment(RandomAccessFile file, int fd, boolean sharedMemory) {
    this.file = file;
    this.fd = fd;
    this.sharedMemory = sharedMemory;
  }

  /** The segment behind {@code file}, a read-only descriptor of a sealed memfd it now owns. */
  static ReceivedSegment of(RandomAccessFile file, boolean sharedMemory) throws IOException {
    try {
      return new ReceivedSegment(file,
          FileDescriptorCast.using(file.getFD()).as(Integer.class), sharedMemory);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
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
    return new SharedBufferView(Segment.openReadOnly(fd, length), length, sharedMemory);
  }

  /** A read-only descriptor for another peer: a received buffer may be passed on. */
  synchronized RandomAccessFile reopenForPeer() throws IOException {
    checkOpen();
    return new RandomAccessFile(Segment.procPath(fd), "r");
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
        file.close();
      } catch (IOException e) {
        // A read-only descriptor: nothing to tell anyone.
      }
    }
  }
}
