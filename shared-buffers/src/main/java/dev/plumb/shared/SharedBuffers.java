package dev.plumb.shared;

import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The receiving side of shared buffers: {@link #open} turns a {@link SharedBytes} reference
 * back into the bytes, read-only.
 */
public final class SharedBuffers {
  private SharedBuffers() {}

  /**
   * A read-only view of the sealed buffer that {@code reference} names, mapped in place. It
   * stays readable while the application holds it, whatever the sender does meanwhile.
   *
   * <p>A reference opens in the process whose {@link SharedBuffer} sealed it, while that buffer
   * is open, and in a process that received it from a peer in a message, while the application
   * holds that message (its buffers travelled beside it; docs/SHARED_BUFFERS.md).
   *
   * @throws IllegalArgumentException if this process holds no buffer of that token, or the
   *     reference is malformed
   * @throws IOException if the buffer is unsealed or its length is not the reference's
   */
  public static SharedBufferView open(SharedBytes reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.getToken().size() != LocalSegments.TOKEN_LENGTH) {
      throw new IllegalArgumentException("not a shared buffer reference: its token has "
          + reference.getToken().size() + " bytes, not " + LocalSegments.TOKEN_LENGTH);
    }
    Segment segment = LocalSegments.find(reference.getToken());
    FileChannel channel = null;
    if (segment != null) {
      try {
        channel = segment.openReadOnly(reference.getLength());
      } catch (IllegalStateException closedMeanwhile) {
        // Its sender closed it between the look-up and the reopen: as if it had never been.
      }
    }
    if (channel != null) {
      return new SharedBufferView(channel, reference.getLength(), true);
    }
    // Every arrival of a token holds the same sealed bytes; one whose reference became
    // garbage may be closed between the look-up and the open: the next one serves.
    for (ReceivedSegment received : ReceivedBindings.find(reference.getToken())) {
      try {
        return received.open(reference.getLength());
      } catch (IllegalStateException unboundMeanwhile) {
        // Its reference became garbage between the look-up and the open.
      }
    }
    throw new IllegalArgumentException("no shared buffer with token "
        + HexFormat.of().formatHex(reference.getToken().toByteArray())
        + " is open in this process: its sender closed it before sending, or the message that"
        + " brought it is gone");
  }
}
