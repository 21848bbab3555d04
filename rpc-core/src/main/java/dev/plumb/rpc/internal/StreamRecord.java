package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.CallAttachments;
import dev.plumb.rpc.frame.Frame;
import io.grpc.Status;
import io.grpc.internal.ReadableBuffer;
import java.io.RandomAccessFile;
import java.util.ArrayDeque;

/**
 * The session's record of one stream: its id, its flow-control windows (which
 * {@link FlowControl} keeps), and the frames waiting to be sent in order. Every field is
 * guarded by the session lock, and so are the calls of the two hooks.
 */
abstract class StreamRecord {
  /** 0 until a client stream is given an id (server streams have one from the start). */
  int id;
  /** The stream may send: it has an id and its HEADERS went out (client) or came in (server). */
  boolean started;
  /** Removed from the session; nothing more is sent or accounted. */
  boolean closed;
  /** The stream waits for the connection's send window or the link's backlog to let it send. */
  boolean parked;
  /** Peer-granted DATA bytes this stream may still send. */
  int sendWindow;
  /** DATA bytes the peer may still send before this side grants more. */
  int receiveWindow;
  /** Received DATA bytes the application has not consumed yet. */
  int unconsumed;
  /** Consumed bytes not yet granted back to the peer. */
  int unacknowledged;
  /**
   * Frames of this stream in send order. Their stream id is a placeholder: the id is set
   * when they are written, because a client stream may queue data before it has one.
   */
  final ArrayDeque<Frame> outbound = new ArrayDeque<>();
  /** Listed by the {@link DataCoalescer} as holding received data. */
  boolean holdsData;
  /** A small DATA frame the {@link DataCoalescer} holds back, or null. */
  Frame heldFrame;
  /** Small DATA frames' payloads the {@link DataCoalescer} merged, or null. */
  byte[] merged;
  int mergedLength;
  /**
   * The call's attachments, both ways; null for a client call without the attachment
   * interceptor (what arrives for it is closed at once). Outbound, this stream has queued the
   * first {@link #attachmentsQueued} of its messages' attachments for sending.
   */
  CallAttachments attachments;
  int attachmentsQueued;
  /** Bytes and descriptors of the peer's attachments on this stream, against the limits. */
  long attachedBytes;
  int attachedDescriptors;
  // The three queues below stay empty on most streams: sized for one element, so that a call
  // without attachments does not pay for the default sixteen slots of each (every stream
  // allocates them).
  /**
   * The descriptors of this stream's queued ATTACH frames, one array per frame, in order (on a
   * link that passes descriptors, every ATTACH carries its attachments' descriptors).
   */
  final ArrayDeque<RandomAccessFile[]> attachDescriptors = new ArrayDeque<>(1);
  /** Attachments whose bytes this stream sends inline, in order; see {@link OutboundInline}. */
  final ArrayDeque<OutboundInline> inlineOut = new ArrayDeque<>(1);
  /** Attachments whose inline bytes are arriving, in order. */
  final ArrayDeque<InboundInline> inlineIn = new ArrayDeque<>(1);

  /**
   * {@code bytes} of DATA this stream queued have been handed to the connection. Under the
   * session lock: what gRPC must hear of it goes through the session's callback queue.
   */
  abstract void onDataSent(int bytes);

  /** A non-DATA frame of this stream (HEADERS, TRAILERS) has been handed to the connection. */
  abstract void onControlFrameSent(Frame frame);

  /**
   * Received DATA for gRPC's deframer, in order; {@code endOfStream} if the peer's side ended
   * with it. Under the session lock: the delivery itself goes through the callback queue.
   */
  abstract void onDataReceived(ReadableBuffer data, boolean endOfStream);

  /**
   * The stream cannot send its attachments ({@code status} says why): the call must end.
   * Under the session lock: the ending goes through the callback queue.
   */
  abstract void onAttachmentsFailed(Status status);
}
