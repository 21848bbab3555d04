package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.Attachment;
import dev.plumb.rpc.attach.CallAttachments;
import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Descriptors;
import io.grpc.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's sending side of attachments: before a stream's DATA, the ATTACH frames of the
 * messages its call queued attachments for, with their descriptors on a link that passes them
 * or a place for their inline bytes ({@link OutboundInline}) on one that does not. Under the
 * session lock.
 */
final class AttachmentSender {
  private AttachmentSender() {}

  /**
   * Queues, before the DATA that follows, the attachments the call queued since this stream
   * last looked: for each message an ATTACH, then a place for each one's inline bytes. A
   * retried call's new stream starts from the first. False if they cannot go, and the call
   * is ending for it. Under the lock.
   */
  static boolean queue(StreamRecord stream, PeerSettings peer, Connection connection) {
    if (stream.attachments == null) {
      return true;
    }
    List<CallAttachments.Queued> pending =
        stream.attachments.queuedFrom(stream.attachmentsQueued);
    if (pending.isEmpty()) {
      return true;
    }
    stream.attachmentsQueued += pending.size();
    if (!peer.attachments) {
      stream.onAttachmentsFailed(Status.FAILED_PRECONDITION.withDescription("the peer ("
          + peer.agent + ") accepts no attachments: a message names a shared buffer, and"
          + " plumb-shared-buffers is not on the peer's class path"));
      return false;
    }
    boolean byDescriptor = connection.canPassDescriptors();
    for (CallAttachments.Queued message : pending) {
      List<Attachment> attachments = message.attachments();
      for (int from = 0; from < attachments.size(); from += AttachFrames.MAX_ENTRIES) {
        List<Attachment> batch = attachments.subList(from,
            Math.min(attachments.size(), from + AttachFrames.MAX_ENTRIES));
        List<AttachFrames.Entry> entries = new ArrayList<>(batch.size());
        for (Attachment attachment : batch) {
          entries.add(new AttachFrames.Entry(attachment.token(), attachment.length(),
              byDescriptor ? AttachFrames.MODE_DESCRIPTOR : AttachFrames.MODE_INLINE));
        }
        if (byDescriptor) {
          RandomAccessFile[] descriptors = openForLink(stream, batch);
          if (descriptors == null) {
            return false;
          }
          stream.attachDescriptors.add(descriptors);
        }
        stream.outbound.add(AttachFrames.attach(0, message.messageIndex(), entries));
        if (!byDescriptor) {
          for (Attachment attachment : batch) {
            stream.inlineOut.add(new OutboundInline(attachment, peer.maxFrameSize));
            stream.outbound.add(OutboundInline.placeholder());
          }
        }
      }
    }
    return true;
  }

  /**
   * A descriptor of each attachment for the link to send and close, or null if one cannot be
   * opened (its call ended meanwhile), and the call is ending for it. Under the lock.
   */
  private static RandomAccessFile[] openForLink(StreamRecord stream,
      List<Attachment> attachments) {
    RandomAccessFile[] descriptors = new RandomAccessFile[attachments.size()];
    for (int i = 0; i < descriptors.length; i++) {
      try {
        descriptors[i] = attachments.get(i).openForLink();
      } catch (IOException e) {
        Descriptors.close(descriptors);
        stream.onAttachmentsFailed(Status.INTERNAL.withDescription(
            "cannot open an attachment to send: " + e.getMessage()));
        return null;
      }
    }
    return descriptors;
  }

  /** Drops what the stream holds of attachments still to send. Under the lock. */
  static void drop(StreamRecord stream) {
    stream.inlineOut.clear();
    stream.attachDescriptors.forEach(Descriptors::close);
    stream.attachDescriptors.clear();
  }
}
