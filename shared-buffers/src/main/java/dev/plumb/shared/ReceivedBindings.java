package dev.plumb.shared;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.plumb.rpc.attach.ReceivedAttachment;
import dev.plumb.shared.proto.SharedBytes;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segments that arrived from peers beside the messages that name them, by token, each
 * bound to the {@code SharedBytes} in its message that names it: a binding lasts until that
 * reference is garbage (a {@link Cleaner} then closes the segment), so {@link SharedBuffers#open}
 * finds a received buffer for as long as the application holds the reference, or the message
 * that holds it. Not the message alone: {@code open(loan.getData())} may be the last use of
 * {@code loan}, which the collector can then take before {@code open} looks the token up.
 * Views opened meanwhile hold descriptors of their own.
 *
 * <p>A token maps to a list: one buffer sent in two messages arrives twice (two private copies
 * of the same sealed bytes, over a link without descriptor passing), and each stays bound to
 * its own reference. Thread-safe.
 */
final class ReceivedBindings {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final ConcurrentHashMap<ByteString, List<ReceivedSegment>> BOUND =
      new ConcurrentHashMap<>();

  private ReceivedBindings() {}

  /**
   * Binds each of {@code attachments} to the reference in {@code message} that names it, in
   * order (to {@code message} itself where none does: a peer's attachment that no reference
   * names).
   */
  static void bind(Object message, List<ReceivedAttachment> attachments) {
    if (attachments.isEmpty()) {
      return;
    }
    List<SharedBytes> references = message instanceof Message
        ? new ArrayList<>(SharedBytesFields.in((Message) message)) : new ArrayList<>();
    for (ReceivedAttachment attachment : attachments) {
      ByteString token = ByteString.copyFrom(attachment.token());
      ReceivedSegment received = (ReceivedSegment) attachment.content();
      BOUND.compute(token, (key, list) -> {
        List<ReceivedSegment> grown = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
        grown.add(received);
        return grown;
      });
      // The action must not reach its holder, or the holder would never become garbage.
      CLEANER.register(holderOf(token, references, message), new Unbind(token, received));
    }
  }

  /**
   * The first of {@code references} that names {@code token}, taken from the list so that a
   * buffer named twice binds its second arrival to the second reference; else {@code message}.
   */
  private static Object holderOf(ByteString token, List<SharedBytes> references,
      Object message) {
    for (int i = 0; i < references.size(); i++) {
      if (references.get(i).getToken().equals(token)) {
        return references.remove(i);
      }
    }
    return message;
  }

  /**
   * The received segments bound under {@code token}, oldest first; often none. A snapshot:
   * each may be closed by the time the caller opens it.
   */
  static List<ReceivedSegment> find(ByteString token) {
    List<ReceivedSegment> list = BOUND.get(token);
    return list == null ? List.of() : list;
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
