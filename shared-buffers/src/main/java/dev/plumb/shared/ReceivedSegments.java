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
   * held through a duplicate of it; closes {@code received} either way. Not {@code received}
   * itself: junixsocket closes the descriptors a socket received, if they are still open, when
   * the socket closes, which can be before the message that named the segment is garbage.
   *
   * @throws IOException if the descriptor is not a sealed memfd of that length
   */
  static ReceivedSegment open(FileDescriptor received, long length) throws IOException {
    FileDescriptorCast cast = FileDescriptorCast.using(received);
    try {
      Segment.checkSealed(cast.as(Integer.class));
      FileInputStream own = FileDescriptorCast.duplicating(received).as(FileInputStream.class);
      try {
        Segment.checkLength(own.getChannel().size(), length);
        return new ReceivedSegment(own.getChannel(), own.getFD(), length, true);
      } catch (IOException | RuntimeException e) {
        own.close();
        throw e;
      }
    } finally {
      // A descriptor is closed through a stream over it: the one way Java has.
      cast.as(FileInputStream.class).close();
    }
  }
}
