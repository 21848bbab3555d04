package dev.plumb.rpc.attach;

import java.util.Objects;

/**
 * One attachment that arrived from the peer, complete: its token, its length, and what holds
 * its bytes (for inline bytes, what {@link AttachmentSupport#inlineCopy} made of them). Filed
 * in the call's {@link CallAttachments} under the index of the message it belongs to, until
 * that message claims it or the call ends.
 */
public final class ReceivedAttachment implements AutoCloseable {
  private final byte[] token;
  private final long length;
  private final AutoCloseable content;

  public ReceivedAttachment(byte[] token, long length, AutoCloseable content) {
    this.token = token.clone();
    this.length = length;
    this.content = Objects.requireNonNull(content, "content");
  }

  /** A copy of the token. */
  public byte[] token() {
    return token.clone();
  }

  public long length() {
    return length;
  }

  /** What holds the bytes; whoever claims the attachment owns it from then on. */
  public AutoCloseable content() {
    return content;
  }

  /** Closes the content: for an attachment no message claimed. */
  @Override
  public void close() {
    try {
      content.close();
    } catch (Exception e) {
      // Releasing memory; there is no one to tell and nothing to retry.
    }
  }
}
