package dev.plumb.rpc.internal;

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
 * message framing, compression and deframing; this class turns its sink calls into frames.
 */
final class PlumbServerStream extends AbstractServerStream {
  private final PlumbServerTransport transport;
  private final String authority;
  private final Attributes attributes;
  private final State state;
  private final Flow flow = new Flow();
  private final Sink sink = new Sink();

  PlumbServerStream(PlumbServerTransport transport, int id, String authority,
      Attributes attributes, StatsTraceContext statsTraceContext,
      TransportTracer transportTracer, int maxFrameSize, int maxMessageSize) {
    super(ByteArrayWritableBuffer.allocator(maxFrameSize), statsTraceContext);
    this.transport = transport;
    this.authority = authority;
    this.attributes = attributes;
    this.state = new State(maxMessageSize, statsTraceContext, transportTracer);
    flow.id = id;
  }

  @Override
  protected State transportState() {
    return state;
  }

  @Override
  protected Sink abstractServerStreamSink() {
    return sink;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public String getAuthority() {
    return authority.isEmpty() ? null : authority;
  }

  @Override
  public int streamId() {
    return flow.id;
  }

  Flow flow() {
    return flow;
  }

  private final class Sink implements AbstractServerStream.Sink {
    @Override
    public void writeHeaders(Metadata headers, boolean flush) {
      transport.writeMetadata(flow, FrameType.HEADERS, headers, flush);
    }

    @Override
    public void writeFrame(WritableBuffer frame, boolean flush, int numMessages) {
      Frame data = ByteArrayWritableBuffer.dataFrame(frame, 0);
      onSendingBytes(data.payloadLength());
      transport.sendData(flow, data, flush);
    }

    @Override
    public void writeTrailers(Metadata trailers, boolean headersSent, Status status) {
      transport.writeMetadata(flow, FrameType.TRAILERS, trailers, true);
    }

    @Override
    public void cancel(Status status) {
      transport.cancelStream(flow, status);
    }
  }

  /** gRPC's side of the stream; its methods run under the session lock. */
  final class State extends AbstractServerStream.TransportState {
    State(int maxMessageSize, StatsTraceContext statsTraceContext,
        TransportTracer transportTracer) {
      super(maxMessageSize, statsTraceContext, transportTracer);
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
      transport.cancelStream(flow, Status.fromThrowable(cause));
    }

    @Override
    public void inboundDataReceived(ReadableBuffer frame, boolean endOfStream) {
      super.inboundDataReceived(frame, endOfStream);
    }
  }

  /** The session's view of this stream. */
  final class Flow extends StreamState {
    /** The client half-closed: no more DATA may come. */
    boolean remoteEnded;

    PlumbServerStream stream() {
      return PlumbServerStream.this;
    }

    @Override
    void onDataSent(int bytes) {
      state.onSentBytes(bytes);
    }

    @Override
    void onControlFrameSent(Frame frame) {
      if (frame.type() == FrameType.TRAILERS) {
        transport.streamCompleted(this);
      }
    }
  }
}
