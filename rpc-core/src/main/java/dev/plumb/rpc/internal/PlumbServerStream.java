package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.CallAttachments;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.internal.AbstractServerStream;
import io.grpc.internal.ReadableBuffer;
import io.grpc.internal.StatsTraceContext;
import io.grpc.internal.TransportTracer;
import io.grpc.internal.WritableBuffer;

/**
 * A call's stream on a {@link PlumbServerTransport}. gRPC's {@link AbstractServerStream} does
 * message framing, compression and deframing; this class turns its outbound calls into frames
 * ({@link FrameSink}), keeps the session's record of the stream ({@link SessionRecord}), and
 * feeds inbound events to gRPC ({@link GrpcState}).
 */
final class PlumbServerStream extends AbstractServerStream {
  private final PlumbServerTransport transport;
  private final String authority;
  private final GrpcState state;
  private final SessionRecord record = new SessionRecord();
  private final FrameSink sink = new FrameSink();

  PlumbServerStream(PlumbServerTransport transport, int id, String authority,
      StatsTraceContext statsTraceContext, TransportTracer transportTracer, int maxFrameSize,
      int maxMessageSize, boolean acceptsAttachments) {
    super(ByteArrayWritableBuffer.allocator(maxFrameSize), statsTraceContext);
    this.transport = transport;
    this.authority = authority;
    this.state = new GrpcState(maxMessageSize, statsTraceContext, transportTracer);
    record.id = id;
    // Without the shared-buffers module the call has none, and its attributes are the
    // transport's own, as before attachments existed.
    record.attachments = acceptsAttachments ? new CallAttachments() : null;
  }

  @Override
  protected GrpcState transportState() {
    return state;
  }

  @Override
  protected FrameSink abstractServerStreamSink() {
    return sink;
  }

  /**
   * The transport's attributes, as its filters left them, and the call's attachments
   * ({@link CallAttachments#ATTRIBUTE}) where this side accepts them.
   */
  @Override
  public Attributes getAttributes() {
    if (record.attachments == null) {
      return transport.attributes();
    }
    return transport.attributes().toBuilder()
        .set(CallAttachments.ATTRIBUTE, record.attachments)
        .build();
  }

  @Override
  public String getAuthority() {
    return authority.isEmpty() ? null : authority;
  }

  @Override
  public int streamId() {
    return record.id;
  }

  SessionRecord record() {
    return record;
  }

  /** gRPC's outbound calls, turned into frames for the session. */
  private final class FrameSink implements AbstractServerStream.Sink {
    @Override
    public void writeHeaders(Metadata headers, boolean flush) {
      transport.writeMetadata(record, FrameType.HEADERS, headers, flush);
    }

    @Override
    public void writeFrame(WritableBuffer frame, boolean flush, int numMessages) {
      Frame data = ByteArrayWritableBuffer.dataFrame(frame, 0);
      onSendingBytes(data.payloadLength());
      transport.session().sendData(record, data, numMessages, flush);
    }

    @Override
    public void writeTrailers(Metadata trailers, boolean headersSent, Status status) {
      transport.writeMetadata(record, FrameType.TRAILERS, trailers, true);
    }

    @Override
    public void cancel(Status status) {
      transport.cancelStream(record, status);
    }
  }

  /**
   * gRPC's transport state of the stream: deframing, {@code onReady} accounting and the
   * listener. Its methods run on the session's callback queue, never under the session lock,
   * and so one thread at a time.
   */
  final class GrpcState extends AbstractServerStream.TransportState {
    GrpcState(int maxMessageSize, StatsTraceContext statsTraceContext,
        TransportTracer transportTracer) {
      super(maxMessageSize, statsTraceContext, transportTracer);
    }

    @Override
    public void runOnTransportThread(Runnable r) {
      transport.session().runSerially(r);
    }

    @Override
    public void bytesRead(int processedBytes) {
      transport.session().bytesConsumed(record, processedBytes);
    }

    @Override
    public void deframeFailed(Throwable cause) {
      transport.cancelStream(record, Status.fromThrowable(cause));
    }

    /** Whether gRPC gave the call a listener (it does so while starting the call). */
    boolean hasListener() {
      return listener() != null;
    }
  }

  /** The session's record of this stream. */
  final class SessionRecord extends StreamRecord {
    /** The client half-closed: no more DATA may come. */
    boolean remoteEnded;

    PlumbServerStream stream() {
      return PlumbServerStream.this;
    }

    @Override
    void onDataSent(int bytes) {
      transport.session().afterUnlock(() -> state.onSentBytes(bytes));
    }

    @Override
    void onDataReceived(ReadableBuffer data, boolean endOfStream) {
      transport.session().afterUnlock(() -> state.inboundDataReceived(data, endOfStream));
    }

    @Override
    void onAttachmentsFailed(Status status) {
      transport.session().afterUnlock(() -> transport.cancelStream(this, status));
    }

    @Override
    void onControlFrameSent(Frame frame) {
      if (frame.type() == FrameType.TRAILERS) {
        transport.streamCompleted(this);
      }
    }
  }
}
