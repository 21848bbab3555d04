package dev.plumb.rpc.attach;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attachments of one call, both ways. Outbound: what the interceptor queued per message
 * index, kept until the call ends, because gRPC's retries replay a call's messages on a new
 * stream for each attempt, below the interceptor, and each attempt's stream must send the
 * attachments of what it replays. Inbound: what the peer attached, filed per message index
 * until the message claims it.
 *
 * <p>A client's interceptor puts one under {@link #CALL_OPTION}, which the stream finds in
 * its call options; a server's stream makes one, where its side accepts attachments, and
 * shows it under {@link #ATTRIBUTE} in its attributes ({@code ServerCall.getAttributes()}). The
 * interceptor {@link #close}s it when the call ends; on a server the core also does when the
 * stream ends, for calls that no interceptor watches.
 *
 * <p>Thread-safe: the interceptor's thread queues and claims, the connection's reader files,
 * the stream's sender reads the queue. Its monitor is taken inside the session's lock, never
 * the other way round, and no callback runs under it.
 */
public final class CallAttachments implements AutoCloseable {
  /** Where a client's interceptor puts the call's attachments for the stream. */
  public static final CallOptions.Key<CallAttachments> CALL_OPTION =
      CallOptions.Key.create("plumb-attachments");
  /** Where a server's stream shows the call's attachments to the interceptor. */
  public static final Attributes.Key<CallAttachments> ATTRIBUTE =
      Attributes.Key.create("plumb-attachments");

  /** One message's outbound attachments. */
  public static final class Queued {
    private final int messageIndex;
    private final List<Attachment> attachments;

    Queued(int messageIndex, List<Attachment> attachments) {
      this.messageIndex = messageIndex;
      this.attachments = attachments;
    }

    public int messageIndex() {
      return messageIndex;
    }

    public List<Attachment> attachments() {
      return attachments;
    }
  }

  // Both made on first use: every call of a side that accepts attachments has a record, and
  // most calls never attach anything.
  /** Outbound, in the order the messages were sent; null until the first. */
  private List<Queued> queued;
  /** Inbound, by message index; null until the first. */
  private Map<Integer, List<ReceivedAttachment>> filed;
  private boolean closed;

  /**
   * Queues the attachments of the message of index {@code messageIndex}: before gRPC hears
   * of the message, so that its stream sends them before the DATA that completes it. Once the
   * call has ended, closes them instead.
   */
  public void queue(int messageIndex, List<Attachment> attachments) {
    synchronized (this) {
      if (!closed) {
        if (queued == null) {
          queued = new ArrayList<>();
        }
        queued.add(new Queued(messageIndex, List.copyOf(attachments)));
        return;
      }
    }
    attachments.forEach(CallAttachments::closeQuietly);
  }

  /** The outbound attachments from the {@code from}-th message that has any, in order. */
  public synchronized List<Queued> queuedFrom(int from) {
    return queued == null || from >= queued.size() ? List.of()
        : List.copyOf(queued.subList(from, queued.size()));
  }

  /**
   * Files an attachment that arrived for the peer's message of index {@code messageIndex}.
   * Once the call has ended, closes it instead.
   */
  public void file(int messageIndex, ReceivedAttachment attachment) {
    synchronized (this) {
      if (!closed) {
        if (filed == null) {
          filed = new HashMap<>();
        }
        filed.computeIfAbsent(messageIndex, index -> new ArrayList<>()).add(attachment);
        return;
      }
    }
    attachment.close();
  }

  /** Takes what arrived for the peer's message of index {@code messageIndex}; often nothing. */
  public synchronized List<ReceivedAttachment> claim(int messageIndex) {
    List<ReceivedAttachment> claimed = filed == null ? null : filed.remove(messageIndex);
    return claimed == null ? List.of() : claimed;
  }

  /**
   * The call has ended: closes every outbound attachment and every inbound one that no
   * message claimed; later ones are closed as they come. Idempotent.
   */
  @Override
  public void close() {
    List<Queued> outbound;
    Map<Integer, List<ReceivedAttachment>> inbound;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      outbound = queued;
      inbound = filed;
      // Closed: nothing is added any more, so the collections are this thread's from here.
      queued = null;
      filed = null;
    }
    if (outbound != null) {
      outbound.forEach(message -> message.attachments.forEach(CallAttachments::closeQuietly));
    }
    if (inbound != null) {
      inbound.values().forEach(message -> message.forEach(ReceivedAttachment::close));
    }
  }

  private static void closeQuietly(Attachment attachment) {
    try {
      attachment.close();
    } catch (java.io.IOException e) {
      // Closing a read-only descriptor: nothing to tell anyone.
    }
  }
}
