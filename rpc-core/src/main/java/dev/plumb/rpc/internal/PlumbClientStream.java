package dev.plumb.rpc.internal;

import dev.plumb.rpc.attach.CallAttachments;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.spi.CallerRead;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.internal.AbstractClientStream;
import io.grpc.internal.ClientStreamListener.RpcProgress;
import io.grpc.internal.ReadableBuffer;
import io.grpc.internal.StatsTraceContext;
import io.grpc.internal.TransportTracer;
import io.grpc.internal.WritableBuffer;

/**
 * A client call's stream on a {@link PlumbClientTransport}. gRPC's {@link AbstractClientStream}
 * does message framing, compression, deframing and {@code onReady}; this class turns its
 * outbound calls into frames ({@link FrameSink}), keeps the session's record of the stream
 * ({@link SessionRecord}), and feeds inbound events to gRPC ({@link GrpcState}).
 */
final class PlumbClientStream extends AbstractClientStream {
  private final PlumbClientTransport transport;
  private final String method;
  private final boolean sendsOneMessage;
  private final Attributes attributes;
  private final GrpcState state;
  private final SessionRecord record = new SessionRecord();
  private final FrameSink sink = new FrameSink();
  /** A blocking stub's unary or server-streaming call: its caller parks once the request is out. */
  private final boolean callerBlocks;
  /**
   * Set on the callback queue once gRPC heard the call's end; read by the caller's thread in
   * {@link BlockingCallerWait} (volatile: the callback queue runs on another thread).
   */
  private volatile boolean ended;
  private volatile String authority;
  /** The request headers, held until the stream gets an id; guarded by the session lock. */
  private Metadata headers;

  PlumbClientStream(PlumbClientTransport transport, MethodDescriptor<?, ?> method,
      Metadata headers, CallOptions callOptions, StatsTraceContext statsTraceContext,
      TransportTracer transportTracer, int maxFrameSize, int maxMessageSize,
      Attributes attributes, String authority) {
    super(ByteArrayWritableBuffer.allocator(maxFrameSize), statsTraceContext, transportTracer,
        headers, callOptions, false);
    this.transport = transport;
    this.method = method.getFullMethodName();
    this.sendsOneMessage = method.getType().clientSendsOneMessage();
    this.attributes = attributes;
    this.authority = authority;
    this.state = new GrpcState(maxMessageSize, statsTraceContext, transportTracer, callOptions);
    this.callerBlocks = sendsOneMessage && BlockingStubCalls.isBlocking(callOptions);
    // The same object for every attempt of a retried call: they share its call options.
    record.attachments = callOptions.getOption(CallAttachments.CALL_OPTION);
  }

  @Override
  protected GrpcState transportState() {
    return state;
  }

  @Override
  protected FrameSink abstractClientStreamSink() {
    return sink;
  }

  @Override
  public void setAuthority(String authority) {
    this.authority = authority;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  SessionRecord record() {
    return record;
  }

  String method() {
    return method;
  }

  /** Unary and server-streaming calls: gRPC half-closes right after the one request. */
  boolean sendsOneMessage() {
    return sendsOneMessage;
  }

  String authority() {
    return authority;
  }

  /** Keeps the request headers until the stream has an id. Under the session lock. */
  void holdHeaders(Metadata metadata) {
    headers = metadata;
  }

  /** Takes the request headers for the HEADERS frame. Under the session lock. */
  Metadata takeHeaders() {
    Metadata taken = headers;
    headers = null;
    return taken;
  }

  /** gRPC's outbound calls, turned into frames for the session. */
  private final class FrameSink implements AbstractClientStream.Sink {
    @Override
    public void writeHeaders(Metadata metadata, byte[] payload) {
      transport.startStream(PlumbClientStream.this, metadata);
    }

    @Override
    public void writeFrame(WritableBuffer frame, boolean endOfStream, boolean flush,
        int numMessages) {
      Frame dataFrame = ByteArrayWritableBuffer.dataFrame(frame,
          endOfStream ? Frame.FLAG_END_STREAM : 0);
      if (dataFrame.payloadLength() > 0) {
        onSendingBytes(dataFrame.payloadLength());
      }
      // The one request of a unary or server-streaming call waits for the half-close that
      // follows, to leave with it in one write (gRPC's retry layer flushes after every
      // message); the server acts on such a request only once it is half-closed anyway.
      boolean flushNow = flush && (endOfStream || !sendsOneMessage);
      if (!(endOfStream && callerBlocks)) {
        transport.session().sendData(record, dataFrame, numMessages, flushNow);
        return;
      }
      // Out of every lock. The turn starts before the request leaves, so that the answer
      // cannot come while the reader thread still reads.
      CallerRead read = transport.session().startCallerRead();
      try {
        transport.session().sendData(record, dataFrame, numMessages, flushNow);
        BlockingCallerWait.MACHINE.await(() -> ended, read);
      } finally {
        if (read != null) {
          read.close();
        }
      }
    }

    @Override
    public void cancel(Status status) {
      transport.cancelStream(PlumbClientStream.this, status);
    }
  }

  /**
   * gRPC's transport state of the stream: deframing, {@code onReady} accounting and the
   * listener. Its methods run on the session's callback queue, never under the session lock,
   * and so one thread at a time. The methods below give the session names for the inherited
   * protected ones it calls (Java grants the outer class no access to them otherwise).
   */
  final class GrpcState extends AbstractClientStream.TransportState {
    GrpcState(int maxMessageSize, StatsTraceContext statsTraceContext,
        TransportTracer transportTracer, CallOptions callOptions) {
      super(maxMessageSize, statsTraceContext, transportTracer, callOptions);
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
      transport.cancelStream(PlumbClientStream.this, Status.fromThrowable(cause));
    }

    /** The stream has an id and its HEADERS went out: it may report ready. */
    void allocated() {
      getStatsTraceContext().clientOutboundHeaders();
      onStreamAllocated();
    }

    void headersArrived(Metadata headers) {
      inboundHeadersReceived(headers);
    }

    void dataArrived(ReadableBuffer data) {
      inboundDataReceived(data);
    }

    void trailersArrived(Metadata trailers, Status status) {
      inboundTrailersReceived(trailers, status);
      ended = true;
    }

    /** The call ends with {@code status}, no trailers: a reset, a lost link, a refusal. */
    void endWith(Status status, RpcProgress progress) {
      transportReportStatus(status, progress, true, new Metadata());
      ended = true;
    }
  }

  /** The session's record of this stream. */
  final class SessionRecord extends StreamRecord {
    PlumbClientStream stream() {
      return PlumbClientStream.this;
    }

    @Override
    void onDataSent(int bytes) {
      transport.session().afterUnlock(() -> state.onSentBytes(bytes));
    }

    @Override
    void onDataReceived(ReadableBuffer data, boolean endOfStream) {
      transport.session().afterUnlock(() -> state.dataArrived(data));
    }

    @Override
    void onControlFrameSent(Frame frame) {}

    @Override
    void onAttachmentsFailed(Status status) {
      transport.session().afterUnlock(
          () -> transport.cancelStream(PlumbClientStream.this, status));
    }
  }
}
