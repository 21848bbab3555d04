package dev.plumb.rpc.attach;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the bytes of an attachment that arrives inline go, chunk by chunk, in order, until
 * all of its length is there. Made by {@link AttachmentSupport#inlineCopy}; used by one thread
 * at a time (the connection's reader, under the session's lock).
 */
public interface InlineCopy extends AutoCloseable {
  /** Appends the remaining bytes of {@code chunk}. */
  void append(ByteBuffer chunk) throws IOException;

  /**
   * The complete copy, as the content of a {@link ReceivedAttachment}; this object is spent
   * after (its {@link #close} does nothing more).
   */
  AutoCloseable finish() throws IOException;

  /** Drops an unfinished copy; idempotent. */
  @Override
  void close();
}
