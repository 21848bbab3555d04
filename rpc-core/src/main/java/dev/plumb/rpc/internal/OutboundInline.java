package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.Attachment;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An attachment whose bytes a stream sends inline, read from it chunk by chunk as the windows
 * allow (ATTACH_DATA frames, flow controlled as DATA), so that a large one neither sits in the
 * heap nor starves the connection's other streams. Guarded by the session lock.
 */
final class OutboundInline {
  /**
   * The place in a stream's queue where inline bytes go: {@link FlowControl} replaces it with
   * the chunks of the stream's first {@link OutboundInline}. Real chunks are written at once and
   * never queued, so an ATTACH_DATA in the queue is always such a place.
   */
  static Frame placeholder() {
    return Frame.of(FrameType.ATTACH_DATA, 0, 0, (ByteBuffer) null);
  }

  private final Attachment attachment;
  private final int maxChunk;
  private long sent;

  /** Sends {@code attachment}'s bytes in chunks of at most {@code maxChunk}, the peer's limit. */
  OutboundInline(Attachment attachment, int maxChunk) {
    this.attachment = attachment;
    this.maxChunk = maxChunk;
  }

  long remaining() {
    return attachment.length() - sent;
  }

  /** The next chunk's size within {@code window} bytes of windows. */
  int nextChunk(int window) {
    return (int) Math.min(remaining(), Math.min(window, maxChunk));
  }

  /**
   * The next {@code length} bytes as an ATTACH_DATA frame of stream {@code streamId}: a copy
   * out of a sealed memory segment's pages, which never waits on a device, so it may run under
   * the session's lock.
   */
  Frame read(int length, int streamId) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(length);
    attachment.read(chunk, sent);
    sent += length;
    return Frame.of(FrameType.ATTACH_DATA, 0, streamId, chunk.flip());
  }
}
