package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.internal.AbstractClientStream;
import io.grpc.internal.StatsTraceContext;
import io.grpc.internal.TransportTracer;
import io.grpc.internal.WritableBuffer;

/**
 * A client call's stream on a {@link PlumbClientTransport}. gRPC's {@link AbstractClientStream}
 * does message framing, compression, deframing and {@code onReady}; this class turns its sink
 * calls into frames and feeds inbound frames to its transport state.
 */
final class PlumbClientStream extends AbstractClientStream {
  private final PlumbClientTransport transport;
  private final String method;
  private final boolean sendsOneMessage;
  private final Attributes attributes;
  private final State state;
  private final Flow flow = new Flow();
  private final Sink sink = new Sink();
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
    this.state = new State(maxMessageSize, statsTraceContext, transportTracer, callOptions);
  }

  @Override
  protected State transportState() {
    return state;
  }

  @Override
  protected Sink abstractClientStreamSink() {
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

  Flow flow() {
    return flow;
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

  private final class Sink implements AbstractClientStream.Sink {
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
      transport.sendData(flow, dataFrame, flush && (endOfStream || !sendsOneMessage));
    }

    @Override
    public void cancel(Status status) {
      transport.cancelStream(PlumbClientStream.this, status);
    }
  }

  /** gRPC's side of the stream; its methods run under the session lock. */
  final class State extends AbstractClientStream.TransportState {
    State(int maxMessageSize, StatsTraceContext statsTraceContext,
        TransportTracer transportTracer, CallOptions callOptions) {
      super(maxMessageSize, statsTraceContext, transportTracer, callOptions);
    }

    @Override
    protected void onStreamAllocated() {
      super.onStreamAllocated();
    }

    @Override
    public void runOnTransportThread(Runnable r) {
      transport.locked(r);
    }

    @Override
    public void bytesRead(int processedBytes) {
      transport.bytesConsumed(flow, processedBytes);
    }

    @Override
    public void deframeFailed(Throwable cause) {
      transport.failStream(PlumbClientStream.this, Status.fromThrowable(cause));
    }

    @Override
    protected void inboundHeadersReceived(Metadata headers) {
      super.inboundHeadersReceived(headers);
    }

    @Override
    protected void inboundDataReceived(io.grpc.internal.ReadableBuffer frame) {
      super.inboundDataReceived(frame);
    }

    @Override
    protected void inboundTrailersReceived(Metadata trailers, Status status) {
      super.inboundTrailersReceived(trailers, status);
    }
  }

  /** The session's view of this stream. */
  final class Flow extends StreamState {
    PlumbClientStream stream() {
      return PlumbClientStream.this;
    }

    @Override
    void onDataSent(int bytes) {
      state.onSentBytes(bytes);
    }

    @Override
    void onControlFrameSent(Frame frame) {}
  }
}
