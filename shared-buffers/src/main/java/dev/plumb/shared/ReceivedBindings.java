package dev.plumb.shared;

import com.google.protobuf.ByteString;
import dev.plumb.rpc.attach.ReceivedAttachment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segments that arrived from peers beside the messages that name them, by token, bound to
 * those messages: a binding lasts until the message object is garbage (a {@link Cleaner} then
 * closes the segment), so {@link SharedBuffers#open} finds a received buffer for as long as
 * the application holds the message. Views opened meanwhile hold descriptors of their own.
 *
 * <p>A token maps to a list: one buffer sent in two messages arrives twice (two private copies
 * of the same sealed bytes, over a link without descriptor passing), and each stays bound to
 * its message. Thread-safe.
 */
final class ReceivedBindings {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final ConcurrentHashMap<ByteString, List<ReceivedSegment>> BOUND =
      new ConcurrentHashMap<>();

  private ReceivedBindings() {}

  /** Binds {@code attachments} to {@code message} until it is garbage. */
  static void bind(Object message, List<ReceivedAttachment> attachments) {
    if (attachments.isEmpty()) {
      return;
    }
    List<Unbind> bound = new ArrayList<>(attachments.size());
    for (ReceivedAttachment attachment : attachments) {
      ByteString token = ByteString.copyFrom(attachment.token());
      ReceivedSegment received = (ReceivedSegment) attachment.content();
      BOUND.compute(token, (key, list) -> {
        List<ReceivedSegment> grown = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
        grown.add(received);
        return grown;
      });
      bound.add(new Unbind(token, received));
    }
    // The action must not reach the message, or it would never become garbage.
    CLEANER.register(message, () -> bound.forEach(Unbind::run));
  }

  /** A received segment bound under {@code token}, or null. */
  static ReceivedSegment find(ByteString token) {
    List<ReceivedSegment> list = BOUND.get(token);
    return list == null ? null : list.get(0);
  }

  /** Unbinds one segment and closes it. */
  private static final class Unbind implements Runnable {
    private final ByteString token;
    private final ReceivedSegment received;

    Unbind(ByteString token, ReceivedSegment received) {
      this.token = token;
      this.received = received;
    }

    @Override
    public void run() {
      BOUND.computeIfPresent(token, (key, list) -> {
        List<ReceivedSegment> rest = new ArrayList<>(list);
        rest.remove(received);
        return rest.isEmpty() ? null : rest;
      });
      received.close();
    }
  }
}
