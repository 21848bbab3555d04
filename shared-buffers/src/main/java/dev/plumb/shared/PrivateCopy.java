package dev.plumb.shared;

import dev.plumb.rpc.attach.InlineCopy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The receiver's own copy of a segment whose bytes arrived inline, over a link that cannot pass
 * descriptors ({@code tcp:}, {@code pipe:}): a fresh memfd filled chunk by chunk, in order, then
 * sealed, so that the application reads it through the same {@link SharedBufferView} as a
 * segment that arrived by descriptor ({@link SharedBufferView#isSharedMemory()} false). What the
 * core's attachment path fills (docs/SHARED_BUFFERS.md).
 *
 * <p>Not thread-safe: one reader fills it.
 */
final class PrivateCopy implements InlineCopy {
  private final Segment segment;
  private FileChannel writable;
  private long filled;

  private PrivateCopy(Segment segment, FileChannel writable) {
    this.segment = segment;
    this.writable = writable;
  }

  /** A copy of {@code length} bytes, to be filled. */
  static PrivateCopy of(long length) throws IOException {
    Segment segment = Segment.create(length);
    try {
      return new PrivateCopy(segment, segment.openWritable());
    } catch (IOException | RuntimeException e) {
      segment.close();
      throw e;
    }
  }

  /** Bytes still missing. */
  long missing() {
    return segment.length() - filled;
  }

  /**
   * Appends the remaining bytes of {@code chunk}.
   *
   * @throws IllegalArgumentException if they are more than {@link #missing}
   */
  @Override
  public void append(ByteBuffer chunk) throws IOException {
    if (chunk.remaining() > missing()) {
      throw new IllegalArgumentException(chunk.remaining() + " inline bytes where only "
          + missing() + " of the shared buffer's " + segment.length() + " are missing");
    }
    while (chunk.hasRemaining()) {
      filled += writable.write(chunk, filled);
    }
  }

  /**
   * The complete copy, sealed: it opens read-only only, as a private copy
   * ({@link SharedBufferView#isSharedMemory()} false). This object is then spent (its
   * {@link #close} does nothing more); the caller closes the copy.
   *
   * @throws IllegalStateException if bytes are missing
   */
  @Override
  public ReceivedSegment finish() throws IOException {
    if (missing() != 0) {
      throw new IllegalStateException(missing() + " bytes of the shared buffer are missing");
    }
    writable.close();
    writable = null;
    try {
      segment.seal();
      return ReceivedSegment.ofCopy(segment.reopenForPeer(), segment.length());
    } finally {
      // The copy holds its own read-only descriptor.
      segment.close();
    }
  }

  /** Drops an unfinished copy (its memory goes with it); idempotent. */
  @Override
  public void close() {
    if (writable != null) {
      try {
        writable.close();
      } catch (IOException e) {
        // Closing a channel on memory: nothing to tell anyone; the segment goes below.
      }
      writable = null;
      segment.close();
    }
  }
}
