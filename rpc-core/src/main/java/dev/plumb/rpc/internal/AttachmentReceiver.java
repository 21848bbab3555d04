package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.ReceivedAttachment;
import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Descriptors;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * A session's receiving side of attachments (ATTACH and ATTACH_DATA frames): checks each
 * against this side's limits before anything is made for it, takes its descriptors from the
 * link or copies its inline bytes into a private copy (counted in flow control as DATA), and
 * files each complete one with its stream, by message index, for the call to claim. All under
 * the session lock; the streams it ends go through the session's callback queue.
 */
final class AttachmentReceiver<S extends StreamRecord> {
  private final ProtocolSettings local;
  private final FlowControl flow;
  private final SessionSide<S> side;
  /** Ends a stream the peer misused, with a rate-limited warning. */
  private final BiConsumer<S, Status> failStream;
  /** Bytes and descriptors of the peer's attachments on the open streams, against the limits. */
  private long attachedBytes;
  private int attachedDescriptors;

  AttachmentReceiver(ProtocolSettings local, FlowControl flow, SessionSide<S> side,
      BiConsumer<S, Status> failStream) {
    this.local = local;
    this.flow = flow;
    this.side = side;
    this.failStream = failStream;
  }

  private void checkAccepted(Frame frame) throws ProtocolException {
    if (local.attachments() == null) {
      throw ProtocolException.malformed(frame.type() + " on stream " + frame.streamId()
          + " from a peer that was not told it may send attachments");
    }
  }

  /**
   * An ATTACH: the attachments of one of the peer's messages, whose descriptors came with it
   * (or before) and whose inline bytes follow.
   */
  void onAttach(Frame frame, S stream, Connection connection) throws ProtocolException {
    checkAccepted(frame);
    AttachFrames.Attach attach = AttachFrames.parse(frame);
    // Taken whatever becomes of the frame, so that the next ATTACH finds its own.
    FileDescriptor[] descriptors = connection.takeDescriptors(attach.descriptors());
    if (stream == null) {
      // A cancel crossed it; its inline bytes are counted and dropped as they come.
      Descriptors.close(descriptors, 0);
      side.checkKnownStream(frame);
      return;
    }
    if (descriptors == null) {
      failStream.accept(stream, Status.INTERNAL.withDescription("ATTACH on stream " + stream.id
          + " names " + attach.descriptors() + " descriptors; the link delivered fewer"));
      return;
    }
    if (!withinLimits(stream, attach, descriptors)) {
      return;
    }
    int nextDescriptor = 0;
    for (AttachFrames.Entry entry : attach.entries()) {
      try {
        if (entry.inline()) {
          stream.inlineIn.add(new InboundInline(attach.messageIndex(), entry.token(),
              entry.length(), local.attachments().inlineCopy(entry.length())));
        } else {
          AutoCloseable content = local.attachments().receivedDescriptor(
              descriptors[nextDescriptor++], entry.length());
          file(stream, attach.messageIndex(),
              new ReceivedAttachment(entry.token(), entry.length(), content));
        }
      } catch (IOException e) {
        Descriptors.close(descriptors, nextDescriptor);
        failStream.accept(stream, (entry.inline() ? Status.RESOURCE_EXHAUSTED : Status.INTERNAL)
            .withDescription("cannot take an attachment of " + entry.length() + " bytes on"
                + " stream " + stream.id + ": " + e.getMessage()));
        return;
      }
    }
    fileCompleteAttachments(stream);
  }

  /**
   * Counts the attachments of {@code attach} against this side's limits, before anything is
   * made for them: false if they are over a limit and the stream is ended for it (RESET
   * RESOURCE_EXHAUSTED naming the limit).
   *
   * @throws ProtocolException if the connection's open calls would hold more descriptors than
   *     the limit: abuse of the connection, which ends
   */
  private boolean withinLimits(S stream, AttachFrames.Attach attach, FileDescriptor[] descriptors)
      throws ProtocolException {
    ProtocolSettings.AttachmentLimits limits = local.attachmentLimits();
    long announced = 0;
    for (AttachFrames.Entry entry : attach.entries()) {
      announced = saturatedAdd(announced, entry.length());
    }
    String over = null;
    if (announced > limits.bytesPerCall - stream.attachedBytes) {
      over = saturatedAdd(stream.attachedBytes, announced) + " bytes attached to one call"
          + " exceed this side's limit of " + limits.bytesPerCall + " (maxAttachedBytesPerCall)";
    } else if (announced > limits.bytesPerConnection - attachedBytes) {
      over = saturatedAdd(attachedBytes, announced) + " bytes attached to the open calls of one"
          + " connection"
          + " exceed this side's limit of " + limits.bytesPerConnection
          + " (maxAttachedBytesPerConnection)";
    }
    if (over != null) {
      Descriptors.close(descriptors, 0);
      failStream.accept(stream, Status.RESOURCE_EXHAUSTED.withDescription(over));
      return false;
    }
    if (descriptors.length > limits.descriptorsPerConnection - attachedDescriptors) {
      Descriptors.close(descriptors, 0);
      throw new ProtocolException(Status.RESOURCE_EXHAUSTED.withDescription(
          (attachedDescriptors + descriptors.length) + " attachment descriptors held by the open"
              + " calls of one connection exceed this side's limit of "
              + limits.descriptorsPerConnection + " (maxAttachmentDescriptors)"));
    }
    stream.attachedBytes += announced;
    stream.attachedDescriptors += descriptors.length;
    attachedBytes += announced;
    attachedDescriptors += descriptors.length;
    return true;
  }

  /** {@code a + b} for non-negative values, or Long.MAX_VALUE where that overflows. */
  private static long saturatedAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /** Files a complete attachment for the call to claim. Under the lock. */
  private void file(S stream, int messageIndex, ReceivedAttachment attachment) {
    if (stream.attachments == null) {
      // A call without the interceptor: no message will claim it.
      attachment.close();
    } else {
      stream.attachments.file(messageIndex, attachment);
    }
  }

  /** ATTACH_DATA: inline bytes of the stream's first incomplete attachment. */
  void onAttachData(Frame frame, S stream) throws ProtocolException {
    checkAccepted(frame);
    // Read before the payload is copied out (which consumes it).
    int length = frame.payloadLength();
    if (length == 0) {
      throw ProtocolException.malformed("empty ATTACH_DATA on stream " + frame.streamId());
    }
    if (stream == null) {
      side.checkKnownStream(frame);
    }
    flow.received(stream, length);
    if (stream == null) {
      return;
    }
    InboundInline filling = stream.inlineIn.peek();
    if (filling == null || length > filling.missing()) {
      failStream.accept(stream, Status.INTERNAL.withDescription("ATTACH_DATA of " + length
          + " bytes on stream " + stream.id + " where "
          + (filling == null ? "no attachment" : filling.missing() + " bytes of one")
          + " is missing"));
      return;
    }
    try {
      filling.append(frame.payload());
    } catch (IOException e) {
      failStream.accept(stream, Status.RESOURCE_EXHAUSTED.withDescription(
          "cannot copy an inline attachment: " + e.getMessage()));
      return;
    }
    // Copied out at once: the bytes no longer hold the windows.
    flow.consumed(stream, length);
    fileCompleteAttachments(stream);
  }

  /** Files the stream's attachments that have all their bytes, in order. Under the lock. */
  private void fileCompleteAttachments(S stream) {
    while (!stream.inlineIn.isEmpty() && stream.inlineIn.peek().missing() == 0) {
      InboundInline complete = stream.inlineIn.poll();
      ReceivedAttachment attachment;
      try {
        attachment = complete.finish();
      } catch (IOException e) {
        complete.discard();
        failStream.accept(stream, Status.INTERNAL.withDescription(
            "cannot seal an inline attachment: " + e.getMessage()));
        return;
      }
      file(stream, complete.messageIndex, attachment);
    }
  }

  /**
   * The stream is gone: what the peer attached to it no longer counts against the limits, and
   * copies still arriving are dropped.
   */
  void release(S stream) {
    attachedBytes -= stream.attachedBytes;
    attachedDescriptors -= stream.attachedDescriptors;
    stream.attachedBytes = 0;
    stream.attachedDescriptors = 0;
    stream.inlineIn.forEach(InboundInline::discard);
    stream.inlineIn.clear();
  }
}
