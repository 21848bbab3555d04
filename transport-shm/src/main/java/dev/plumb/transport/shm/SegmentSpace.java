package dev.plumb.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;

/**
 * Makes sure a new segment's memory exists before anyone maps it. A file in {@code /dev/shm}
 * (tmpfs) that is only sized is sparse: its pages are allocated when first touched, and a page
 * that cannot be allocated then (a full {@code /dev/shm}: 64 MiB in a default container) is a
 * SIGBUS, which the JVM turns into an {@link InternalError} on whichever thread touched it,
 * possibly in the middle of a frame.
 *
 * <p>So the server writes the whole segment with zeros through the file ({@code write(2)}),
 * which makes tmpfs allocate every page now and fail with ENOSPC, an {@link IOException} on
 * this thread, if it cannot; written pages stay allocated until the file is freed. Before that,
 * the file system's usable space is checked, for a quick refusal that names the sizes without
 * filling {@code /dev/shm} first; that check alone would not do (another process can take the
 * space before the pages are touched), the write is what counts. Not covered: a memory cgroup
 * limit, which tmpfs pages are charged to, is enforced by reclaim or the OOM killer, not ENOSPC.
 */
final class SegmentSpace {
  /** Zeros written per call; read-only, shared by concurrent set-ups through duplicates. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

  private SegmentSpace() {}

  /** A segment of this size cannot be had: the connection is refused with RESOURCE_EXHAUSTED. */
  static final class SegmentUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    SegmentUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Allocates all {@code length} bytes of the (empty) file behind {@code channel}, the segment
   * for rings of {@code capacity} bytes.
   *
   * @throws SegmentUnavailableException naming both sizes and what the file system has
   */
  static void allocate(FileChannel channel, int capacity, long length) throws IOException {
    long usable = Files.getFileStore(Segment.DIRECTORY).getUsableSpace();
    if (usable < length) {
      throw unavailable(capacity, length, Segment.DIRECTORY + " has " + usable + " bytes usable",
          null);
    }
    long written = 0;
    try {
      while (written < length) {
        ByteBuffer zeros = ZEROS.duplicate();
        zeros.limit((int) Math.min(zeros.capacity(), length - written));
        written += channel.write(zeros, written);
      }
    } catch (IOException e) {
      throw unavailable(capacity, length, Segment.DIRECTORY + " could not supply them ("
          + e.getMessage() + " after " + written + " bytes)", e);
    }
  }

  private static SegmentUnavailableException unavailable(int capacity, long length, String why,
      Throwable cause) {
    return new SegmentUnavailableException("cannot set up an shm: connection: rings of "
        + capacity + " bytes need a segment of " + length + " bytes, and " + why + "; lower"
        + " ringSize on the server or give " + Segment.DIRECTORY + " more room (docker run"
        + " --shm-size)", cause);
  }
}
