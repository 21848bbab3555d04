package dev.plumb.shared;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Segments whose descriptors arrived from a peer ({@code SCM_RIGHTS}): each becomes a
 * read-only segment once it has passed the checks that make it safe to read in place. What the
 * attachment path calls for every descriptor it receives (docs/SHARED_BUFFERS.md).
 */
final class ReceivedSegments {
  private ReceivedSegments() {}

  /**
   * The segment behind {@code received}, which must be a sealed memfd of {@code length} bytes,
   * held through a read-only reopen of it. Closes {@code received} either way.
   *
   * @throws IOException if the descriptor is not a sealed memfd of that length
   */
  static ReceivedSegment open(FileDescriptor received, long length) throws IOException {
    FileDescriptorCast cast = FileDescriptorCast.using(received);
    try {
      return ReceivedSegment.of(Segment.reopenReadOnly(cast.as(Integer.class), length), true);
    } finally {
      // junixsocket's descriptor is closed through a stream over it, the one way Java has.
      cast.as(FileInputStream.class).close();
    }
  }
}
