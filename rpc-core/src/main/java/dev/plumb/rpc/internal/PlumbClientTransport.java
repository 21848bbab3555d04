package dev.plumb.rpc.internal;

import com.google.common.base.Stopwatch;
import com.google.common.util.concurrent.ListenableFuture;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalLogId;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.internal.ClientStream;
import io.grpc.internal.ClientStreamListener.RpcProgress;
import io.grpc.internal.ConnectionClientTransport;
import io.grpc.internal.FailingClientStream;
import io.grpc.internal.GrpcAttributes;
import io.grpc.internal.Http2Ping;
import io.grpc.internal.KeepAliveManager;
import io.grpc.internal.SimpleDisconnectError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one Plumb connection, as a gRPC {@link ConnectionClientTransport}: gRPC's
 * channel creates one per address and reconnects with backoff when it dies. Streams beyond the
 * server's concurrency limit wait in order until a slot frees.
 */
final class PlumbClientTransport implements ConnectionClientTransport,
    KeepAliveManager.ClientKeepAlivePinger.TransportWithDisconnectReason,
    SessionSide<PlumbClientStream.SessionRecord>, PingPolicy {
  private static final Logger log = LoggerFactory.getLogger(PlumbClientTransport.class);
  /** Warnings a peer can cause, per connection or stream: at most 20 of a kind a minute. */
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);
  /** Client stream ids are odd and grow; past this the transport is replaced. */
  private static final int MAX_STREAM_ID = Integer.MAX_VALUE;

  private final Session<PlumbClientStream.SessionRecord> session;
  private final ProtocolSettings local;
  private final PlumbAddress address;
  /** Opens the connection, with TLS if the channel asked for it. */
  private final Supplier<CompletableFuture<Connection>> connector;
  private final String authority;
  private final Attributes eagAttributes;
  /** Null unless the channel asked for keep-alive pings. */
  private final KeepAliveManager keepAlive;
  private Listener listener;
  private CompletableFuture<Connection> connecting;
  private volatile Attributes attributes = Attributes.EMPTY;

  // Guarded by lock.
  private int nextStreamId = 1;
  private final ArrayDeque<PlumbClientStream> pendingStreams = new ArrayDeque<>();
  private Status shutdownStatus;
  private boolean goAwayReceived;
  /** Why the server said GO_AWAY, if it reported an error: the reason calls fail with. */
  private String goAwayError;
  private boolean inUse;
  private boolean terminated;
  private boolean keepAliveFailed;
  private Http2Ping ping;

  PlumbClientTransport(PlumbAddress address, Supplier<CompletableFuture<Connection>> connector,
      String authority,
      Attributes eagAttributes, ProtocolSettings local, ScheduledExecutorService scheduler) {
    this.session = new Session<>(local, scheduler, new FloodLimits(local, System::nanoTime),
        InternalLogId.allocate(PlumbClientTransport.class, address.toString()), this, this);
    this.local = local;
    this.address = address;
    this.connector = connector;
    this.authority = authority;
    this.eagAttributes = eagAttributes;
    ProtocolSettings.KeepAlive keepAliveSettings = local.keepAlive();
    this.keepAlive = keepAliveSettings.enabled()
        ? new KeepAliveManager(new CountedPinger(new KeepAliveManager.ClientKeepAlivePinger(this),
            () -> session.locked(session.tracer()::reportKeepAliveSent)), scheduler,
            keepAliveSettings.timeNanos, keepAliveSettings.timeoutNanos,
            keepAliveSettings.withoutCalls)
        : null;
  }

  @Override
  public boolean waitsForPeerHello() {
    return false;
  }

  @Override
  public String describe() {
    return "client " + address.shortForm();
  }

  @Override
  public Runnable start(Listener listener) {
    this.listener = listener;
    CompletableFuture<Connection> future;
    try {
      future = connector.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    synchronized (session.lock) {
      connecting = future;
    }
    return () -> connecting.whenComplete(this::connected);
  }

  private void connected(Connection connection, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      session.onClosed(Status.UNAVAILABLE
          .withDescription("cannot connect to " + address + ": " + cause.getMessage())
          .withCause(cause));
      return;
    }
    session.attach(connection);
  }

  @Override
  public void onHandshakeComplete() {
    attributes = LinkSecurityLevel.add(session.linkAttributes()).toBuilder()
        .set(GrpcAttributes.ATTR_CLIENT_EAG_ATTRS, eagAttributes)
        .build();
    session.afterUnlock(listener::transportReady);
    if (keepAlive != null) {
      keepAlive.onTransportStarted();
    }
    startPendingStreams();
    closeIfDone();
  }

  @Override
  public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers,
      CallOptions callOptions, ClientStreamTracer[] tracers) {
    Attributes attrs = attributes;
    synchronized (session.lock) {
      Status refusal = shutdownStatus != null ? shutdownStatus : session.closedStatus();
      if (session.refusal() != null || session.peer() == null) {
        Status status = Status.UNAVAILABLE.withDescription(refusal == null
            ? "transport is not ready" : "transport is shut down: " + session.refusal().getDescription());
        // MISCARRIED: nothing left this client, so gRPC retries the call on another transport
        // as often as it takes (REFUSED is retried once only; a call that raced two dying
        // transports would fail).
        return new FailingClientStream(status, RpcProgress.MISCARRIED, tracers);
      }
      return new PlumbClientStream(this, method, headers, callOptions,
          io.grpc.internal.StatsTraceContext.newClientContext(tracers, attrs, headers),
          session.tracer(), session.peer().maxFrameSize, local.maxMessageSize(), attrs,
          authority);
    }
  }

  /**
   * The stream's headers are ready to go (gRPC called start). They are sent at once only if
   * the client may send more than one message: otherwise gRPC's half-close follows and flushes
   * them with the request, in one write that wakes the server once.
   */
  void startStream(PlumbClientStream stream, Metadata headers) {
    boolean flush = !stream.sendsOneMessage();
    session.locked(() -> {
      if (session.closedStatus() != null || goAwayReceived) {
        endLater(stream, Status.UNAVAILABLE.withDescription("connection is going away"),
            RpcProgress.MISCARRIED);
        return;
      }
      stream.holdHeaders(headers);
      pendingStreams.add(stream);
      updateInUse();
      startPendingStreams();
    }, flush);
  }

  private void startPendingStreams() {
    while (session.peer() != null && !pendingStreams.isEmpty()
        && session.streams().size() < session.peer().maxConcurrentStreams) {
      allocate(pendingStreams.poll());
    }
  }

  private void allocate(PlumbClientStream stream) {
    PlumbClientStream.SessionRecord record = stream.record();
    if (nextStreamId > MAX_STREAM_ID || nextStreamId < 0) {
      endLater(stream, Status.UNAVAILABLE.withDescription("stream ids exhausted on this connection"),
          RpcProgress.REFUSED);
      shutdown(Status.UNAVAILABLE.withDescription("stream ids exhausted"));
      return;
    }
    byte[] headers = MetadataCodec.encode(stream.method(), stream.authority(), stream.takeHeaders());
    if (headers.length > session.peer().maxMetadataSize) {
      endLater(stream, Status.RESOURCE_EXHAUSTED.withDescription(
          "request metadata of " + headers.length + " bytes exceeds the server's limit of "
              + session.peer().maxMetadataSize + " bytes"), RpcProgress.PROCESSED);
      session.removeStream(record);
      return;
    }
    record.id = nextStreamId;
    nextStreamId += 2;
    session.open(record);
    // gRPC's server stream reports the peer's streams itself; a client's are the transport's.
    session.tracer().reportLocalStreamStarted();
    session.write(Frame.of(FrameType.HEADERS, 0, record.id, headers));
    session.afterUnlock(stream.transportState()::allocated);
    session.drain(record);
  }

  /** Ends {@code stream}'s call with {@code status} once the lock is released. Under the lock. */
  private void endLater(PlumbClientStream stream, Status status, RpcProgress progress) {
    session.afterUnlock(() -> stream.transportState().endWith(status, progress));
  }

  /**
   * Ends a stream from this side: the application cancelled, or gRPC failed it (a message over
   * the size limit, say). The server hears a RESET.
   */
  void cancelStream(PlumbClientStream stream, Status reason) {
    session.locked(() -> {
      PlumbClientStream.SessionRecord record = stream.record();
      endLater(stream, reason, RpcProgress.PROCESSED);
      if (pendingStreams.remove(stream)) {
        updateInUse();
        closeIfDone();
      } else if (record.started && !record.closed) {
        session.writeReset(record.id, Status.CANCELLED.withDescription(reason.getDescription()));
        session.removeStream(record);
      }
    });
  }

  @Override
  public void checkKnownStream(Frame frame) throws ProtocolException {
    int id = frame.streamId();
    if (id % 2 == 0 || id >= nextStreamId) {
      throw ProtocolException.malformed(frame.type() + " for stream " + id
          + ", which this client never opened");
    }
  }

  @Override
  public void onStreamFrame(Frame frame) throws ProtocolException {
    PlumbClientStream.SessionRecord record = session.stream(frame.streamId());
    if (record == null) {
      checkKnownStream(frame);
      return;
    }
    PlumbClientStream.GrpcState state = record.stream().transportState();
    switch (frame.type()) {
      case HEADERS:
        if (frame.payloadLength() > local.maxMetadataSize()) {
          failOversizedMetadata(record, "response headers", frame.payloadLength());
          return;
        }
        Metadata headers = MetadataCodec.decode(frame.payload()).metadata;
        session.afterUnlock(() -> state.headersArrived(headers));
        break;
      case TRAILERS:
        if (frame.payloadLength() > local.maxMetadataSize()) {
          failOversizedMetadata(record, "trailers", frame.payloadLength());
          return;
        }
        Metadata trailers = MetadataCodec.decode(frame.payload()).metadata;
        Status status = MetadataCodec.takeStatus(trailers);
        // The call hears its end before the channel hears the transport went idle.
        session.afterUnlock(() -> state.trailersArrived(trailers, status));
        session.removeStream(record);
        break;
      case RESET:
        Status reset =
            ControlFrames.statusOf(ControlFrames.parseReset(frame), Status.Code.CANCELLED);
        endLater(record.stream(), reset, RpcProgress.PROCESSED);
        session.removeStream(record);
        break;
      default:
        throw ProtocolException.malformed(frame.type() + " frame from a server on stream "
            + frame.streamId());
    }
  }

  @Override
  public void failStream(PlumbClientStream.SessionRecord record, Status status) {
    if (record.closed) {
      return;
    }
    session.writeReset(record.id, Status.CANCELLED.withDescription(status.getDescription()));
    endLater(record.stream(), status, RpcProgress.PROCESSED);
    session.removeStream(record);
  }

  private void failOversizedMetadata(PlumbClientStream.SessionRecord record, String what,
      int size) {
    Status status = Status.RESOURCE_EXHAUSTED.withDescription(what + " of " + size
        + " bytes exceed this client's limit of " + local.maxMetadataSize() + " bytes");
    peerWarnings.warn("metadata", "{}: stream {}: {}", describe(), record.id,
        status.getDescription());
    session.writeReset(record.id, Status.CANCELLED.withDescription(status.getDescription()));
    endLater(record.stream(), status, RpcProgress.PROCESSED);
    session.removeStream(record);
  }

  @Override
  public void onStreamData(PlumbClientStream.SessionRecord record, Frame frame) {
    // Nothing to check: a response's DATA never ends the stream (its TRAILERS do).
  }

  @Override
  public void onGoAway(GoAway goAway) {
    goAwayReceived = true;
    Status peerStatus = Status.fromCodeValue(goAway.getStatusCode());
    String reason = peerStatus.isOk() ? "server is shutting down"
        : "server reported " + peerStatus.getCode() + ": " + goAway.getMessage();
    if (!peerStatus.isOk()) {
      goAwayError = reason;
      peerWarnings.warn("goaway", "{}: {}", describe(), reason);
    }
    Status status = Status.UNAVAILABLE.withDescription("GO_AWAY: " + reason);
    notifyShutdown(status, SimpleDisconnectError.UNKNOWN);
    // Streams above last_stream_id never reached the service: gRPC may retry them elsewhere.
    Status refused = Status.UNAVAILABLE.withDescription("not processed: " + reason);
    List<PlumbClientStream.SessionRecord> unprocessed = new ArrayList<>();
    for (PlumbClientStream.SessionRecord record : session.streams()) {
      if (Integer.compareUnsigned(record.id, goAway.getLastStreamId()) > 0) {
        unprocessed.add(record);
      }
    }
    for (PlumbClientStream.SessionRecord record : unprocessed) {
      endLater(record.stream(), refused, RpcProgress.REFUSED);
      session.removeStream(record);
    }
    while (!pendingStreams.isEmpty()) {
      endLater(pendingStreams.poll(), refused, RpcProgress.MISCARRIED);
    }
    updateInUse();
    closeIfDone();
  }

  @Override
  public void onStreamRemoved(PlumbClientStream.SessionRecord record) {
    startPendingStreams();
    updateInUse();
    closeIfDone();
  }

  @Override
  public void onFrameReceived() {
    if (keepAlive != null) {
      keepAlive.onDataReceived();
    }
  }

  private void updateInUse() {
    boolean now = !session.streams().isEmpty() || !pendingStreams.isEmpty();
    if (now != inUse) {
      inUse = now;
      if (keepAlive != null) {
        if (now) {
          keepAlive.onTransportActive();
        } else {
          keepAlive.onTransportIdle();
        }
      }
      session.afterUnlock(() -> listener.transportInUse(now));
    }
  }

  /** A shut-down transport closes its connection once its last stream ends. */
  private void closeIfDone() {
    if (shutdownStatus != null && session.streams().isEmpty() && pendingStreams.isEmpty()
        && session.attached()) {
      session.closeConnection(shutdownStatus);
    }
  }

  private void notifyShutdown(Status status,
      io.grpc.internal.DisconnectError disconnectError) {
    if (shutdownStatus == null) {
      shutdownStatus = status;
      session.afterUnlock(() -> listener.transportShutdown(status, disconnectError));
    }
  }

  @Override
  public void shutdown(Status reason) {
    boolean notConnected;
    synchronized (session.lock) {
      notifyShutdown(reason, SimpleDisconnectError.SUBCHANNEL_SHUTDOWN);
      notConnected = !session.attached() && session.closedStatus() == null;
      if (notConnected && connecting != null) {
        connecting.cancel(false);
      }
      closeIfDone();
    }
    if (notConnected) {
      session.onClosed(reason);
    }
    session.runCallbacks();
  }

  @Override
  public void shutdownNow(Status reason) {
    shutdown(reason);
    session.locked(() -> {
      while (!pendingStreams.isEmpty()) {
        endLater(pendingStreams.poll(), reason, RpcProgress.REFUSED);
      }
      session.closeConnection(reason);
    });
  }

  @Override
  public void onConnectionClosed(Status status) {
    if (!status.isOk() && shutdownStatus == null) {
      log.debug("{}: connection lost: {}", describe(), status);
    }
    Status streamStatus = status.getCode() == Status.Code.UNAVAILABLE ? status
        : Status.UNAVAILABLE.withDescription(status.getDescription()).withCause(status.getCause());
    if (goAwayError != null) {
      streamStatus = Status.UNAVAILABLE.withDescription(
          "connection closed after GO_AWAY: " + goAwayError);
    }
    if (session.refusal() != null) {
      // Refused before the handshake: no stream exists, and the channel fails its connection
      // attempt with the server's own code (PERMISSION_DENIED, ...) and reason.
      streamStatus = session.refusal().withDescription(address + ": " + session.refusal().getDescription());
    }
    notifyShutdown(streamStatus, SimpleDisconnectError.CONNECTION_RESET);
    for (PlumbClientStream.SessionRecord record : session.streams()) {
      record.closed = true;
      endLater(record.stream(), streamStatus, RpcProgress.PROCESSED);
    }
    while (!pendingStreams.isEmpty()) {
      endLater(pendingStreams.poll(), streamStatus, RpcProgress.MISCARRIED);
    }
    if (ping != null) {
      Http2Ping failed = ping;
      Status pingStatus = streamStatus;
      session.afterUnlock(() -> failed.failed(pingStatus));
      ping = null;
    }
    if (keepAlive != null) {
      keepAlive.onTransportTermination();
    }
    if (!terminated) {
      terminated = true;
      if (inUse) {
        inUse = false;
        session.afterUnlock(() -> listener.transportInUse(false));
      }
      session.afterUnlock(listener::transportTerminated);
    }
  }

  /**
   * Keep-alive found the peer silent: fail everything now, as a lost connection. gRPC may say
   * so twice (its timer, then the failed ping's callback); it is logged once.
   */
  @Override
  public void shutdownNow(Status reason, io.grpc.internal.DisconnectError disconnectError) {
    boolean first;
    synchronized (session.lock) {
      first = !keepAliveFailed;
      keepAliveFailed = true;
    }
    if (first) {
      peerWarnings.warn("keepalive", "{}: {}", describe(), reason.getDescription());
    }
    shutdownNow(reason);
  }

  @Override
  public void ping(PingCallback callback, Executor executor) {
    session.locked(() -> {
      if (session.closedStatus() != null || session.peer() == null) {
        Status failure = session.closedStatus() != null ? session.closedStatus()
            : Status.UNAVAILABLE.withDescription("transport is not ready");
        session.afterUnlock(() -> Http2Ping.notifyFailed(callback, executor, failure));
        return;
      }
      if (ping == null) {
        long payload = ThreadLocalRandom.current().nextLong();
        ping = new Http2Ping(payload, Stopwatch.createStarted());
        session.write(ControlFrames.ping(0, payload));
      }
      ping.addCallback(callback, executor);
    });
  }

  @Override
  public void onPingAck(long payload) {
    if (ping != null && ping.payload() == payload) {
      Http2Ping answered = ping;
      session.afterUnlock(answered::complete);
      ping = null;
    }
  }

  /** A client answers the server's PINGs however often they come. */
  @Override
  public void checkPingAllowed() {}

  @Override
  public void onDataQueued() {}

  /** A server opens no streams. */
  @Override
  public int lastPeerStreamId() {
    return 0;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
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

  Session<PlumbClientStream.SessionRecord> session() {
    return session;
  }
}
