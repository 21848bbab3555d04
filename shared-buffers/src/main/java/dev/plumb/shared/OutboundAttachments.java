package dev.plumb.shared;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.plumb.rpc.attach.Attachment;
import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The attachments that go with an outbound message: one per {@link SharedBytes} it names,
 * each with a read-only descriptor of its own, so that the application may close its
 * {@link SharedBuffer} as soon as the call has the message.
 */
final class OutboundAttachments {
  private OutboundAttachments() {}

  /**
   * The attachments of {@code message}; empty for anything but a protobuf message that names
   * shared buffers. A reference this process cannot open (its buffer closed before the send)
   * goes without one: the receiver's {@link SharedBuffers#open} then says it is not there.
   */
  static List<Attachment> of(Object message) {
    if (!(message instanceof Message)) {
      return List.of();
    }
    List<SharedBytes> references = SharedBytesFields.in((Message) message);
    if (references.isEmpty()) {
      return List.of();
    }
    List<Attachment> attachments = new ArrayList<>(references.size());
    try {
      for (SharedBytes reference : references) {
        RandomAccessFile source = descriptorOf(reference.getToken());
        if (source != null && source.length() != reference.getLength()) {
          // A reference that lies about its buffer's length: as if there were none.
          source.close();
        } else if (source != null) {
          attachments.add(attachment(reference, source));
        }
      }
      return attachments;
    } catch (IOException | RuntimeException e) {
      attachments.forEach(OutboundAttachments::closeQuietly);
      throw e instanceof IOException ? new UncheckedIOException((IOException) e)
          : (RuntimeException) e;
    }
  }

  /**
   * The attachment of {@code reference}, read from {@code source}; a link that passes
   * descriptors gets a reopen of {@code source} of its own, which the attachment makes only
   * while {@code source} is open.
   */
  private static Attachment attachment(SharedBytes reference, RandomAccessFile source)
      throws IOException {
    int fd;
    try {
      fd = FileDescriptorCast.using(source.getFD()).as(Integer.class);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
    return new Attachment(reference.getToken().toByteArray(), reference.getLength(), source,
        () -> new RandomAccessFile(Segment.procPath(fd), "r"));
  }

  /** A descriptor of the buffer named by {@code token}, or null if none is open here. */
  private static RandomAccessFile descriptorOf(ByteString token) throws IOException {
    if (token.size() != LocalSegments.TOKEN_LENGTH) {
      return null;
    }
    Segment local = LocalSegments.find(token);
    if (local != null) {
      try {
        return local.reopenForPeer();
      } catch (IllegalStateException closedMeanwhile) {
        return null;
      }
    }
    for (ReceivedSegment received : ReceivedBindings.find(token)) {
      try {
        return received.reopenForPeer();
      } catch (IllegalStateException unboundMeanwhile) {
        // Its reference became garbage between the look-up and the reopen: the next serves.
      }
    }
    return null;
  }

  private static void closeQuietly(Attachment attachment) {
    try {
      attachment.close();
    } catch (IOException e) {
      // A read-only descriptor: nothing to tell anyone.
    }
  }
}
