package dev.plumb.shared;

import dev.plumb.rpc.attach.Attachment;
import dev.plumb.rpc.attach.CallAttachments;
import java.util.List;

/**
 * One call's attachments as its messages pass the interceptor, in order: the buffers each
 * outgoing message names are queued under its index before gRPC has it, and those that came
 * with each incoming message are bound to it. The two counts are each touched by one thread at
 * a time (gRPC calls {@code sendMessage}, and delivers messages, one at a time), never both by
 * the same call path, so plain fields do.
 */
final class MessageAttachments {
  private final CallAttachments attachments;
  /** Messages sent so far. */
  private int sent;
  /** Messages delivered so far. */
  private int received;

  MessageAttachments(CallAttachments attachments) {
    this.attachments = attachments;
  }

  /** Before {@code message} goes to gRPC: queues the buffers it names. */
  void sending(Object message) {
    List<Attachment> found = OutboundAttachments.of(message);
    if (!found.isEmpty()) {
      attachments.queue(sent, found);
    }
    sent++;
  }

  /** As {@code message} arrives: binds the buffers that came with it to it. */
  void received(Object message) {
    ReceivedBindings.bind(message, attachments.claim(received++));
  }

  /** The call ended: closes what no message claimed. */
  void close() {
    attachments.close();
  }
}
