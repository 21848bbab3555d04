package dev.plumb.rpc.internal;

import dev.plumb.proto.wire.GoAway;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.Connection;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Attributes;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalLogId;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.internal.KeepAliveEnforcer;
import io.grpc.internal.ObjectPool;
import io.grpc.internal.ServerTransport;
import io.grpc.internal.ServerTransportListener;
import io.grpc.internal.StatsTraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one accepted Plumb connection, as a gRPC {@link ServerTransport}. A
 * misbehaving peer costs only its own streams or connection: every rejection is a RESET or
 * GO_AWAY with a precise status and a log line, and the server goes on serving others.
 */
final class PlumbServerTransport implements ServerTransport,
    SessionSide<PlumbServerStream.SessionRecord>, PingPolicy {
  private static final Logger log = LoggerFactory.getLogger(PlumbServerTransport.class);
  /** Warnings a peer can cause, per connection or stream: at most 20 of a kind a minute. */
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);

  private final Session<PlumbServerStream.SessionRecord> session;
  private final ProtocolSettings local;
  private final Connection connection;
  private final List<? extends ServerStreamTracer.Factory> tracerFactories;
  private final String description;
  private final KeepAliveEnforcer pingPolicy;
  private final ObjectPool<ScheduledExecutorService> timerPool;
  private final ServerKeepAlive keepAlive;
  private final IdleTimeout idleTimeout;
  private final MaxConnectionAge maxAge;
  private ServerTransportListener listener;
  /** Set by the transport filters once the handshake is done, before any call starts. */
  private volatile Attributes attributes = Attributes.EMPTY;

  // Guarded by lock.
  private int lastStreamId;
  private boolean goAwaySent;
  private boolean terminated;
  /**
   * A shutdown that gRPC asked for before {@link #start} gave the session its link (gRPC knows
   * the transport from {@code transportCreated} on): carried out once it has.
   */
  private Runnable shutdownBeforeStart;

  /**
   * A transport for an accepted {@code connection}; it takes a scheduler from
   * {@code timerPool} (handshake timeout, keep-alive, idle and age limits) and returns it once
   * terminated, and reads the time for its flood limits and idleness from {@code nanoTime}.
   */
  PlumbServerTransport(Connection connection, ProtocolSettings local,
      List<? extends ServerStreamTracer.Factory> tracerFactories,
      ObjectPool<ScheduledExecutorService> timerPool, LongSupplier nanoTime) {
    this.session = new Session<>(local, timerPool.getObject(),
        new FloodLimits(local, nanoTime), InternalLogId.allocate(
        PlumbServerTransport.class,
        String.valueOf(connection.attributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR))),
        this, this);
    this.local = local;
    this.connection = connection;
    this.tracerFactories = tracerFactories;
    this.timerPool = timerPool;
    Object remote = connection.attributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    this.description = "server connection from " + (remote == null ? "peer" : remote);
    ProtocolSettings.KeepAlive keepAlive = local.keepAlive();
    this.pingPolicy = new KeepAliveEnforcer(
        keepAlive.permitWithoutCalls, keepAlive.permitTimeNanos, TimeUnit.NANOSECONDS);
    this.keepAlive = new ServerKeepAlive(session, keepAlive, nanoTime, this::closeNow);
    this.idleTimeout = new IdleTimeout(session, local.lifetime().maxIdleNanos, nanoTime,
        this::goAway);
    this.maxAge = new MaxConnectionAge(session, local.lifetime(), this::goAway, this::closeNow);
  }

  @Override
  public void checkPingAllowed() throws ProtocolException {
    if (!pingPolicy.pingAcceptable()) {
      throw new ProtocolException(Status.RESOURCE_EXHAUSTED.withDescription(
          "too_many_pings: the client pings more often than this server permits"));
    }
  }

  @Override
  public boolean waitsForPeerHello() {
    return true;
  }

  @Override
  public String describe() {
    return description;
  }

  void start(ServerTransportListener listener) {
    this.listener = listener;
    session.attach(connection);
    session.locked(() -> {
      if (session.closedStatus() == null) {
        idleTimeout.onIdle();
        maxAge.start();
      }
      if (shutdownBeforeStart != null) {
        shutdownBeforeStart.run();
        shutdownBeforeStart = null;
      }
    });
  }

  @Override
  public void onHandshakeComplete() {
    Attributes linkAttributes = LinkSecurityLevel.add(connection.attributes());
    keepAlive.onStarted();
    session.afterUnlock(() -> {
      try {
        attributes = listener.transportReady(linkAttributes);
      } catch (RuntimeException e) {
        log.error("{}: a transport filter failed", describe(), e);
        session.locked(() -> {
          if (session.closedStatus() == null) {
            session.failConnection(Status.INTERNAL.withDescription("transport filter failed: " + e));
          }
        });
      }
    });
  }

  /** The attributes calls see: the link's, as the transport filters left them. */
  Attributes attributes() {
    return attributes;
  }

  @Override
  public int lastPeerStreamId() {
    return lastStreamId;
  }

  @Override
  public void checkKnownStream(Frame frame) throws ProtocolException {
    if (Integer.compareUnsigned(frame.streamId(), lastStreamId) > 0) {
      throw ProtocolException.malformed(frame.type() + " for stream " + frame.streamId()
          + ", which the client never opened");
    }
  }

  @Override
  public void onStreamFrame(Frame frame) throws ProtocolException {
    switch (frame.type()) {
      case HEADERS:
        onRequestHeaders(frame);
        break;
      case RESET:
        session.floods().onReset();
        PlumbServerStream.SessionRecord record = session.stream(frame.streamId());
        if (record == null) {
          checkKnownStream(frame);
          return;
        }
        Status status =
            ControlFrames.statusOf(ControlFrames.parseReset(frame), Status.Code.CANCELLED);
        session.removeStream(record);
        endLater(record, status.getDescription() == null
            ? status.withDescription("cancelled by the client") : status);
        break;
      default:
        throw ProtocolException.malformed(frame.type() + " frame from a client on stream "
            + frame.streamId());
    }
  }

  private void onRequestHeaders(Frame frame) throws ProtocolException {
    int id = frame.streamId();
    if (id % 2 == 0 || id <= lastStreamId) {
      throw ProtocolException.malformed("HEADERS opening stream " + id
          + "; new streams must have odd ids above " + lastStreamId);
    }
    lastStreamId = id;
    if (goAwaySent) {
      session.writeReset(id, Status.UNAVAILABLE.withDescription("server is shutting down"));
      return;
    }
    if (session.streams().size() >= local.maxConcurrentStreams()) {
      refuse(id, "too many concurrent streams on one connection; the limit is "
          + local.maxConcurrentStreams());
      return;
    }
    if (frame.payloadLength() > local.maxMetadataSize()) {
      refuse(id, "request metadata of " + frame.payloadLength()
          + " bytes exceeds the server's limit of " + local.maxMetadataSize() + " bytes");
      return;
    }
    MetadataCodec.Decoded headers = MetadataCodec.decode(frame.payload());
    if (headers.method.isEmpty()) {
      throw ProtocolException.malformed("HEADERS for stream " + id + " name no method");
    }
    Metadata metadata = headers.metadata;
    StatsTraceContext stats =
        StatsTraceContext.newServerContext(tracerFactories, headers.method, metadata);
    PlumbServerStream stream = new PlumbServerStream(this, id, headers.authority, stats,
        session.tracer(), session.peer().maxFrameSize, local.maxMessageSize(),
        local.attachments() != null);
    PlumbServerStream.SessionRecord record = stream.record();
    session.open(record);
    if (session.streams().size() == 1) {
      pingPolicy.onTransportActive();
      idleTimeout.onActive();
    }
    session.afterUnlock(() -> startCall(stream, headers.method, metadata));
  }

  /**
   * Hands a new stream to gRPC. If gRPC cannot start the call (a malformed
   * {@code grpc-timeout}, an executor that refuses work), only this stream ends: the client
   * hears INTERNAL with the reason, the other calls go on.
   */
  private void startCall(PlumbServerStream stream, String method, Metadata metadata) {
    try {
      listener.streamCreated(stream, method, metadata);
    } catch (RuntimeException e) {
      peerWarnings.warn("call", "{}: stream {}: cannot start a call to {}: {}", describe(),
          stream.streamId(),
          method, e.toString());
      if (!stream.transportState().hasListener()) {
        // gRPC failed before it set the call's listener; later events of the stream go nowhere.
        stream.setListener(NoopServerStreamListener.INSTANCE);
      }
      cancelStream(stream.record(), Status.INTERNAL.withDescription(
          "the server could not start the call: " + e).withCause(e));
      return;
    }
    stream.transportState().onStreamAllocated();
  }

  /** Reports {@code status} to {@code record}'s call once the lock is released. Under the lock. */
  private void endLater(PlumbServerStream.SessionRecord record, Status status) {
    session.afterUnlock(() -> record.stream().transportState().transportReportStatus(status));
  }

  private void refuse(int id, String reason) {
    peerWarnings.warn("stream", "{}: refusing stream {}: {}", describe(), id, reason);
    session.writeReset(id, Status.RESOURCE_EXHAUSTED.withDescription(reason));
  }

  @Override
  public void onStreamData(PlumbServerStream.SessionRecord record, Frame frame)
      throws ProtocolException {
    if (record.remoteEnded) {
      throw ProtocolException.malformed("DATA on stream " + record.id + " after END_STREAM");
    }
    record.remoteEnded = frame.hasFlag(Frame.FLAG_END_STREAM);
  }

  @Override
  public void onGoAway(GoAway goAway) {
    log.debug("{}: client sent GO_AWAY: {}", describe(), goAway.getMessage());
  }

  /**
   * Sends response headers (flushed if {@code flush}) or trailers, which end the call on this
   * side and so go out on this thread ({@link #lockedThenSend}).
   */
  void writeMetadata(PlumbServerStream.SessionRecord record, FrameType type, Metadata metadata,
      boolean flush) {
    Runnable write = () -> {
      if (record.closed) {
        return;
      }
      byte[] payload = MetadataCodec.encode(null, null, metadata);
      if (payload.length > session.peer().maxMetadataSize) {
        String what = type == FrameType.HEADERS ? "response headers" : "trailers";
        Status status = Status.RESOURCE_EXHAUSTED.withDescription(what + " of " + payload.length
            + " bytes exceed the client's limit of " + session.peer().maxMetadataSize + " bytes");
        peerWarnings.warn("metadata", "{}: stream {}: {}", describe(), record.id,
            status.getDescription());
        if (type == FrameType.HEADERS) {
          failStream(record, status);
          session.flushIfNeeded();
          return;
        }
        payload = MetadataCodec.encode(null, null, statusOnly(status));
      }
      session.enqueue(record, Frame.of(type, 0, 0, payload));
      pingPolicy.resetCounters();
    };
    if (type == FrameType.TRAILERS) {
      session.lockedThenSend(write);
    } else {
      session.locked(write, flush);
    }
  }

  private static Metadata statusOnly(Status status) {
    Metadata trailers = new Metadata();
    trailers.put(InternalStatus.CODE_KEY, status);
    trailers.put(InternalStatus.MESSAGE_KEY, status.getDescription());
    return trailers;
  }

  @Override
  public void onDataQueued() {
    pingPolicy.resetCounters();
  }

  /** The trailers went out: the call is over on this side. Under the lock. */
  void streamCompleted(PlumbServerStream.SessionRecord record) {
    session.removeStream(record);
    session.afterUnlock(record.stream().transportState()::complete);
  }

  /**
   * gRPC ends a server call early: an expired deadline, a message over the limit. The client
   * hears the status in a RESET, except that an expired deadline is reported as CANCELLED, as
   * over HTTP/2: the client's own deadline then names the cause, as gRPC's clients expect.
   */
  void cancelStream(PlumbServerStream.SessionRecord record, Status status) {
    session.locked(() -> {
      if (record.closed) {
        return;
      }
      Status wire = status.getCode() == Status.Code.DEADLINE_EXCEEDED
          ? Status.CANCELLED.withDescription("server deadline exceeded: " + status.getDescription())
          : status;
      session.writeReset(record.id, wire);
      session.removeStream(record);
      endLater(record, status);
    });
  }

  @Override
  public void failStream(PlumbServerStream.SessionRecord record, Status status) {
    if (record.closed) {
      return;
    }
    session.writeReset(record.id, status);
    session.removeStream(record);
    endLater(record, status);
  }

  @Override
  public void onStreamRemoved(PlumbServerStream.SessionRecord record) {
    if (record.attachments != null) {
      // The call is over on the wire: what no request claimed is let go here, also for a call
      // that no interceptor watches (its method's messages cannot name a buffer).
      record.attachments.close();
    }
    if (session.streams().isEmpty()) {
      pingPolicy.onTransportIdle();
      idleTimeout.onIdle();
    }
    if (goAwaySent && session.streams().isEmpty()) {
      session.closeConnection(Status.UNAVAILABLE.withDescription("server shut down"));
    }
  }

  @Override
  public void shutdown() {
    session.locked(() -> {
      if (!session.attached()) {
        if (shutdownBeforeStart == null) {
          shutdownBeforeStart = this::goAway;
        }
        return;
      }
      goAway();
    });
  }

  /**
   * Graceful shutdown: GO_AWAY, no new calls; the connection closes when its last call ends.
   * Under the lock.
   */
  private void goAway() {
    if (goAwaySent || session.closedStatus() != null) {
      return;
    }
    goAwaySent = true;
    session.write(ControlFrames.goAway(lastStreamId,
        Status.OK.withDescription("server shutting down")));
    if (session.streams().isEmpty()) {
      session.flushIfNeeded();
      session.closeConnection(Status.UNAVAILABLE.withDescription("server shut down"));
    }
  }

  @Override
  public void shutdownNow(Status reason) {
    session.locked(() -> {
      if (!session.attached()) {
        shutdownBeforeStart = () -> closeNow(reason);
        return;
      }
      closeNow(reason);
    });
  }

  /** Sends GO_AWAY, ends every call with {@code reason} and closes. Under the lock. */
  private void closeNow(Status reason) {
    if (session.closedStatus() != null) {
      return;
    }
    goAwaySent = true;
    // GO_AWAY first: removing the last stream of a connection that sent it closes the link.
    session.write(ControlFrames.goAway(lastStreamId, reason));
    for (PlumbServerStream.SessionRecord record : new ArrayList<>(session.streams())) {
      failStream(record, reason);
    }
    session.flushIfNeeded();
    session.closeConnection(reason);
  }

  @Override
  public void onConnectionClosed(Status status) {
    Status streamStatus = status.isOk() ? Status.UNAVAILABLE.withDescription("connection closed")
        : status;
    for (PlumbServerStream.SessionRecord record : session.streams()) {
      record.closed = true;
      endLater(record, streamStatus);
    }
    if (!terminated) {
      terminated = true;
      session.afterUnlock(() -> {
        timerPool.returnObject(session.scheduler());
        if (listener != null) {
          listener.transportTerminated();
        }
      });
    }
  }

  @Override
  public ScheduledExecutorService getScheduledExecutorService() {
    return session.scheduler();
  }

  @Override
  public void onFrameReceived() {
    keepAlive.onFrameReceived();
  }

  @Override
  public void onPingAck(long payload) {
    keepAlive.onPingAck(payload);
  }

  @Override
  public ListenableFuture<SocketStats> getStats() {
    return session.stats();
  }

  @Override
  public InternalLogId getLogId() {
    return session.logId();
  }

  @Override
  public String toString() {
    return describe();
  }

  Session<PlumbServerStream.SessionRecord> session() {
    return session;
  }
}
