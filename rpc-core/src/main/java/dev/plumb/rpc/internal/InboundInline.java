package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.InlineCopy;
import dev.plumb.rpc.attach.ReceivedAttachment;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An attachment whose bytes arrive inline: named by an ATTACH, filled by the ATTACH_DATA frames
 * that follow, in order, into the {@link InlineCopy} the attachment support made for it.
 * Guarded by the session lock.
 */
final class InboundInline {
  final int messageIndex;
  private final byte[] token;
  private final long length;
  private final InlineCopy copy;
  private long received;

  InboundInline(int messageIndex, byte[] token, long length, InlineCopy copy) {
    this.messageIndex = messageIndex;
    this.token = token;
    this.length = length;
    this.copy = copy;
  }

  long missing() {
    return length - received;
  }

  void append(ByteBuffer chunk) throws IOException {
    int bytes = chunk.remaining();
    copy.append(chunk);
    received += bytes;
  }

  /** The complete attachment, once nothing is missing. */
  ReceivedAttachment finish() throws IOException {
    return new ReceivedAttachment(token, length, copy.finish());
  }

  /** Drops an unfinished copy. */
  void discard() {
    copy.close();
  }
}
