package dev.plumb.shared;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * A sealed segment that arrived from a peer beside a message: the sender's own pages (by
 * descriptor) or a private copy of them (inline). The content of the core's
 * {@code ReceivedAttachment}; {@link ReceivedBindings} holds it while its message lives.
 */
final class ReceivedSegment implements AutoCloseable {
  private final Segment segment;
  private final boolean sharedMemory;

  ReceivedSegment(Segment segment, boolean sharedMemory) {
    this.segment = segment;
    this.sharedMemory = sharedMemory;
  }

  /**
   * A read-only view of its own, which outlives this object's {@link #close}.
   *
   * @throws IOException if the segment is not {@code length} bytes long (a reference that
   *     does not match what came with it)
   * @throws IllegalStateException once closed
   */
  SharedBufferView open(long length) throws IOException {
    return new SharedBufferView(segment.openReadOnly(length), length, sharedMemory);
  }

  /** A read-only descriptor for another peer: a received buffer may be passed on. */
  RandomAccessFile reopenForPeer() throws IOException {
    return segment.reopenForPeer();
  }

  @Override
  public void close() {
    segment.close();
  }
}
