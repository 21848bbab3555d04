package dev.plumb.rpc.internal;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.CallerRead;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InternalChannelz;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalLogId;
import io.grpc.Status;
import io.grpc.internal.TransportTracer;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half of the Plumb protocol that clients and servers share, over one {@link Connection}:
 * the HELLO handshake, PING, the dispatch of inbound frames, the streams of the connection,
 * and the sending of frames through {@link FlowControl}. What only one side does with streams
 * is its {@link SessionSide} ({@link PlumbClientTransport}, {@link PlumbServerTransport}); how
 * it polices and answers PINGs is its {@link PingPolicy}.
 *
 * <p>Threading: all state lives under {@link #lock}, taken by the transport's reader thread
 * for each inbound frame and by application threads for each outbound operation. Under the
 * lock the session only decides: it updates its state, writes frames (writes to a connection
 * never block, by the {@link Connection} contract) and queues what gRPC must hear on its
 * {@link CallbackQueue} ({@link #afterUnlock}). Every public entry point runs that queue once
 * it has released the lock. So no gRPC callback, and no application code behind one
 * ({@code onReady}, {@code onMessage} on a direct executor, a transport filter), ever runs
 * while a Plumb lock is held: an application thread that holds its own lock while sending can
 * never deadlock with a callback that wants that lock.
 */
final class Session<S extends StreamRecord> implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  /** Warnings a peer can cause, per connection or stream: at most 20 of a kind a minute. */
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);

  final Object lock = new Object();
  final ProtocolSettings local;
  private final ScheduledExecutorService scheduler;
  private final LinkBacklog backlog = new LinkBacklog();
  private final FlowControl flow;
  private final DataCoalescer inbound = new DataCoalescer();
  private final FloodLimits floods;
  private final SessionSide<S> side;
  private final PingPolicy pings;
  private final Map<Integer, S> streams = new HashMap<>();
  /** The peer's attachments, against this side's limits. */
  private final AttachmentReceiver<S> receiver;

  /**
   * Set once, under the lock, before the connection starts; volatile so that a blocking caller
   * can ask it for a reading turn without taking the lock ({@link #startCallerRead}).
   */
  private volatile Connection connection;
  /** The peer's settings; null until its HELLO arrives. */
  private PeerSettings peer;
  /** Non-null once the link is dead. */
  private Status closedStatus;
  /** Non-null if the connection was refused: a GO_AWAY came in place of the peer's HELLO. */
  private Status refusal;

  private final CallbackQueue callbacks = new CallbackQueue(lock, this);
  private boolean needsFlush;
  /** Frames written since the session began; tells whether a locked section wrote. */
  private long framesWritten;
  private boolean failing;
  private boolean attached;
  private ScheduledFuture<?> handshakeTimer;
  /** What {@link #scheduleLocked} scheduled and has not run yet: cancelled when the link dies. */
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  private final InternalLogId logId;
  /** channelz's counters; see {@link #stats} for who writes them where. */
  private final TransportTracer tracer = new TransportTracer();

  Session(ProtocolSettings local, ScheduledExecutorService scheduler, FloodLimits floods,
      InternalLogId logId, SessionSide<S> side, PingPolicy pings) {
    this.local = local;
    this.scheduler = scheduler;
    this.logId = logId;
    this.side = side;
    this.pings = pings;
    this.floods = floods;
    this.flow = new FlowControl(local.streamWindow(), local.connectionWindow(), backlog,
        this::write, this::writeWithDescriptors);
    this.receiver = new AttachmentReceiver<>(local, flow, side, this::failStream);
  }

  /**
   * Starts the session on a connected link: sends HELLO and waits for the peer's. A session
   * that was closed meanwhile (a client shut down while connecting) closes the link instead.
   */
  void attach(Connection connection) {
    // Started under the lock, so that the peer's frames, which need the lock, cannot be
    // handled before this side's HELLO is queued: HELLO must be the first frame sent.
    synchronized (lock) {
      if (closedStatus != null) {
        connection.close(Status.UNAVAILABLE.withDescription(
            "transport shut down while connecting"));
        return;
      }
      OpenConnections.opened();
      this.connection = connection;
      attached = true;
      connection.start(this);
      if (closedStatus == null) {
        if (!side.waitsForPeerHello()) {
          sendHello();
        }
        handshakeTimer = scheduler.schedule(
            this::handshakeTimedOut, local.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS);
      }
    }
    runCallbacks();
  }

  /** This side's HELLO, its first frame. Under the lock. */
  private void sendHello() {
    write(Frame.of(FrameType.HELLO, 0, 0, local.toHello().toByteArray()));
    flushIfNeeded();
  }

  @Override
  public void onFrame(Frame frame) {
    synchronized (lock) {
      if (closedStatus != null || failing) {
        return;
      }
      try {
        pings.onFrameReceived();
        dispatch(frame);
      } catch (ProtocolException e) {
        failConnection(e.status());
      } catch (RuntimeException e) {
        // A bug here: end this connection, loudly, and keep serving the others.
        log.error("{}: failed on {}", describe(), frame, e);
        failConnection(Status.INTERNAL.withDescription("internal error: " + e));
      }
      flushIfNeeded();
    }
    runCallbacks();
  }

  @Override
  public int maxFrameSize() {
    return local.maxFrameSize();
  }

  @Override
  public int maxDescriptors() {
    return local.attachments() == null ? 0 : local.maxAttachmentDescriptors();
  }

  @Override
  public void onSent(long bytes) {
    if (!backlog.taken(bytes)) {
      return;
    }
    // Called from inside a write or flush of this session (a link that takes frames at once),
    // it must not drain streams in the middle of another drain: resume once the lock is free.
    if (Thread.holdsLock(lock)) {
      afterUnlock(() -> locked(this::resumeParked));
    } else {
      locked(this::resumeParked);
    }
  }

  @Override
  public void onReadComplete() {
    // Most reads leave nothing held (a unary call's frames): no lock for them.
    if (inbound.holdsAny()) {
      locked(inbound::flushAll);
    }
  }

  private void resumeParked() {
    if (closedStatus == null) {
      flow.resumeParked();
    }
  }

  @Override
  public void onProtocolError(ProtocolException error) {
    locked(() -> {
      if (closedStatus != null || failing) {
        return;
      }
      if (error.isFromHttp2Client() && framesWritten == 0) {
        refuseHttp2Client(error.status());
      } else {
        failConnection(error.status());
      }
    });
  }

  /**
   * A gRPC client over HTTP/2 at this server, which has sent it nothing yet: answered in
   * HTTP/2 ({@link Http2Refusal}), so that its call fails at once saying why, not after its
   * handshake timeout, or retries, with a complaint about the bytes of a Plumb preface. Under
   * the lock.
   */
  private void refuseHttp2Client(Status status) {
    peerWarnings.warn("failed", "{}: closing the connection: {}", describe(),
        status.getDescription());
    failing = true;
    connection.answerForeignPeer(new Http2Refusal(), status);
  }

  @Override
  public void onClosed(Status status) {
    locked(() -> {
      if (closedStatus != null) {
        return;
      }
      closedStatus = status;
      if (attached) {
        OpenConnections.closed();
      }
      if (handshakeTimer != null) {
        handshakeTimer.cancel(false);
      }
      timers.forEach(timer -> timer.cancel(false));
      timers.clear();
      flow.stop();
      inbound.flushAll();
      side.onConnectionClosed(status);
      // The link is dead: what the streams hold of attachments on the way goes with it.
      streams.values().forEach(this::dropAttachments);
      streams.clear();
    });
  }

  private void dispatch(Frame frame) throws ProtocolException {
    // Byte-stream decoders refuse this before allocating; record transports (mem:, shm:)
    // hand over whole frames, so the limit is checked again here for all of them.
    if (frame.payloadLength() > local.maxFrameSize()) {
      throw ProtocolException.malformed(frame.type() + " frame of " + frame.payloadLength()
          + " bytes exceeds the maximum frame size of " + local.maxFrameSize());
    }
    if (peer == null) {
      if (frame.type() == FrameType.GO_AWAY) {
        onRefused(ControlFrames.parseGoAway(frame));
        return;
      }
      if (frame.type() != FrameType.HELLO) {
        throw ProtocolException.malformed(
            "expected HELLO as the peer's first frame, got " + frame.type());
      }
      onHello(frame);
      return;
    }
    switch (frame.type()) {
      case HELLO:
        throw ProtocolException.malformed("second HELLO from the peer");
      case PING:
        onPing(frame);
        break;
      case WINDOW_UPDATE:
        onWindowUpdate(frame);
        break;
      case GO_AWAY:
        side.onGoAway(ControlFrames.parseGoAway(frame));
        break;
      case DATA:
        onData(frame);
        break;
      case ATTACH:
        receiver.onAttach(frame, streams.get(frame.streamId()), connection);
        break;
      case ATTACH_DATA:
        receiver.onAttachData(frame, streams.get(frame.streamId()));
        break;
      default:
        // What the stream holds of earlier DATA goes first: its frames keep their order.
        inbound.flush(streams.get(frame.streamId()));
        side.onStreamFrame(frame);
    }
  }

  private void onHello(Frame frame) throws ProtocolException {
    Hello hello;
    try {
      hello = Hello.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed HELLO: " + e.getMessage());
    }
    peer = PeerSettings.from(hello);
    flow.peerConnectionWindow(peer.connectionWindow);
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (side.waitsForPeerHello()) {
      sendHello();
    }
    log.debug("{}: handshake complete, peer {}", describe(), peer.agent);
    side.onHandshakeComplete();
  }

  /**
   * A GO_AWAY came in place of HELLO: the connection was refused before its handshake, by the
   * peer's access control or by this side's transport, which distrusts the peer (see
   * {@link dev.plumb.rpc.kit.Refusal}), or by the peer's connection limit. Close with the
   * status {@link RefusalStatus} makes of it.
   */
  private void onRefused(GoAway goAway) {
    refusal = RefusalStatus.of(goAway);
    peerWarnings.warn("refused", "{}: {}", describe(), refusal.getDescription());
    failing = true;
    connection.close(refusal);
  }

  private void handshakeTimedOut() {
    locked(() -> {
      if (peer != null || closedStatus != null) {
        return;
      }
      Status status = Status.UNAVAILABLE.withDescription("no HELLO from the peer within "
          + TimeUnit.NANOSECONDS.toMillis(local.handshakeTimeoutNanos()) + " ms");
      peerWarnings.warn("handshake", "{}: {}", describe(), status.getDescription());
      // Tell the peer why: a slow but honest peer learns what its link died of.
      write(ControlFrames.goAway(side.lastPeerStreamId(), status));
      flushIfNeeded();
      connection.close(status);
    });
  }

  /** Ends the connection for a protocol violation: log it, tell the peer, close. Under the lock. */
  void failConnection(Status status) {
    peerWarnings.warn("failed", "{}: closing the connection: {}", describe(),
        status.getDescription());
    failing = true;
    write(ControlFrames.goAway(side.lastPeerStreamId(), status));
    flushIfNeeded();
    connection.close(status);
  }

  /** Closes the link if it is still open (its death is then reported as usual). Under the lock. */
  void closeConnection(Status reason) {
    if (connection != null && closedStatus == null) {
      connection.close(reason);
    }
  }

  // ---- state the sides read ------------------------------------------------------------------

  /** The peer's settings; null until its HELLO arrives. Under the lock. */
  PeerSettings peer() {
    return peer;
  }

  /** Why the link died, or null while it is alive. Under the lock. */
  Status closedStatus() {
    return closedStatus;
  }

  /** Why the connection was refused before the peer's HELLO, or null. Under the lock. */
  Status refusal() {
    return refusal;
  }

  /** Whether the session has a link (a client may still be connecting). Under the lock. */
  boolean attached() {
    return attached;
  }

  /** What the transport knows of the link. After {@link #attach}. */
  Attributes linkAttributes() {
    return connection.attributes();
  }

  // ---- streams and flow control --------------------------------------------------------------

  /** The open stream with this id, or null. Under the lock. */
  S stream(int id) {
    return streams.get(id);
  }

  /** The open streams, as a live view. Under the lock. */
  Collection<S> streams() {
    return streams.values();
  }

  /**
   * Opens {@code stream} (its id set) within the peer's stream window; it may send once
   * {@link #drain} is called. Under the lock.
   */
  void open(S stream) {
    flow.open(stream, peer.streamWindow);
    streams.put(stream.id, stream);
    stream.started = true;
  }

  /** The peer's floods of frames so far, to be checked against their limits. Under the lock. */
  FloodLimits floods() {
    return floods;
  }

  /** Sends what {@code stream} has queued, as far as the windows allow. Under the lock. */
  void drain(S stream) {
    flow.drain(stream);
  }

  private void onData(Frame frame) throws ProtocolException {
    floods.onData(frame);
    S stream = streams.get(frame.streamId());
    if (stream == null) {
      side.checkKnownStream(frame);
    }
    flow.received(stream, frame.payloadLength());
    if (stream != null) {
      side.onStreamData(stream, frame);
      inbound.received(stream, frame);
    }
  }

  /** Ends a stream the peer misused, with a rate-limited warning. Under the lock. */
  private void failStream(S stream, Status status) {
    peerWarnings.warn("attachment", "{}: stream {}: {}", describe(), stream.id,
        status.getDescription());
    side.failStream(stream, status);
  }

  private void onWindowUpdate(Frame frame) throws ProtocolException {
    int increment = ControlFrames.windowIncrement(frame);
    if (frame.streamId() == 0) {
      flow.connectionWindowUpdate(increment);
      return;
    }
    S stream = streams.get(frame.streamId());
    if (stream == null) {
      FlowControl.checkIncrement(increment);
      side.checkKnownStream(frame);
      return;
    }
    flow.streamWindowUpdate(stream, increment);
  }

  /** Queues a frame of {@code stream} behind its earlier ones and sends what windows allow. */
  void enqueue(S stream, Frame frame) {
    stream.outbound.add(frame);
    if (stream.started) {
      flow.drain(stream);
    }
  }

  /**
   * The application consumed {@code bytes} of {@code stream}'s DATA (gRPC's deframer reports
   * it): grant them back to the peer as {@link FlowControl} batches them.
   */
  void bytesConsumed(S stream, int bytes) {
    locked(() -> {
      if (closedStatus == null) {
        flow.consumed(stream, bytes);
      }
    });
  }

  /**
   * Takes a stream out of the session: nothing more is sent, its unread bytes are freed.
   * Under the lock.
   */
  void removeStream(S stream) {
    if (stream.closed) {
      return;
    }
    stream.closed = true;
    stream.outbound.clear();
    // Data it held back for gRPC is dropped with it.
    stream.heldFrame = null;
    stream.merged = null;
    dropAttachments(stream);
    if (stream.id != 0) {
      streams.remove(stream.id);
    }
    flow.release(stream);
    side.onStreamRemoved(stream);
  }

  /**
   * Drops what the stream holds of attachments on the way, both ways, and what the peer's
   * count against the limits. Under the lock.
   */
  private void dropAttachments(S stream) {
    receiver.release(stream);
    AttachmentSender.drop(stream);
  }

  void writeReset(int streamId, Status status) {
    write(ControlFrames.reset(streamId, status));
  }

  // ---- ping ----------------------------------------------------------------------------------

  private void onPing(Frame frame) throws ProtocolException {
    if (frame.hasFlag(Frame.FLAG_ACK)) {
      pings.onPingAck(ControlFrames.pingPayload(frame));
      return;
    }
    pings.checkPingAllowed();
    write(Frame.of(FrameType.PING, Frame.FLAG_ACK, 0, frame.payload()));
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Hands {@code frame} to the link, to go with the next flush. Under the lock. */
  void write(Frame frame) {
    boolean oneTooMany = backlog.written(frame);
    connection.write(frame);
    framesWritten++;
    needsFlush = true;
    if (oneTooMany && !failing) {
      failConnection(Status.RESOURCE_EXHAUSTED.withDescription("the peer reads nothing ("
          + backlog.unsent() + " bytes unsent) yet made this side answer with more than "
          + LinkBacklog.MAX_CONTROL_FRAMES_WHILE_FULL + " control frames"));
    }
  }

  /**
   * Hands {@code frame} to the link with descriptors that go with it, which the link then owns.
   * Under the lock.
   */
  private void writeWithDescriptors(Frame frame, RandomAccessFile[] descriptors) {
    backlog.written(frame);
    connection.write(frame, descriptors);
    framesWritten++;
    needsFlush = true;
  }

  /** Flushes the link if anything was written since the last flush. Under the lock. */
  void flushIfNeeded() {
    if (needsFlush && connection != null) {
      needsFlush = false;
      connection.flush();
    }
  }

  /**
   * Queues a DATA frame of {@code stream}; if {@code flush}, sends it. A frame that ends the
   * stream's side is sent on this thread ({@link #sendOnThisThread}); the messages of a stream
   * that goes on are left to the connection, which batches those that come in a burst.
   * {@code messages} is how many gRPC messages the frame carries, for channelz.
   */
  void sendData(S stream, Frame frame, int messages, boolean flush) {
    Connection send = null;
    synchronized (lock) {
      if (messages > 0) {
        tracer.reportMessageSent(messages);
      }
      // A message whose attachments cannot go does not go either: its call is ending.
      if (!stream.closed && AttachmentSender.queue(stream, peer, connection)) {
        enqueue(stream, frame);
        pings.onDataQueued();
      }
      if (flush && frame.hasFlag(Frame.FLAG_END_STREAM)) {
        send = takeFlush();
      } else if (flush) {
        flushIfNeeded();
      }
    }
    sendOnThisThread(send);
  }

  /**
   * A blocking caller's turn at reading the connection ({@link Connection#startCallerRead}),
   * or null. Not under the lock, nor taking it: a closed link gives no turn itself.
   */
  CallerRead startCallerRead() {
    Connection link = connection;
    return link == null ? null : link.startCallerRead();
  }

  /**
   * Runs {@code action}, which writes the last frames of a call's side (a server's trailers),
   * under the lock; then sends them as {@link #sendOnThisThread} does.
   */
  void lockedThenSend(Runnable action) {
    Connection send;
    synchronized (lock) {
      action.run();
      send = takeFlush();
    }
    sendOnThisThread(send);
  }

  /**
   * The connection, if anything was written since the last flush (which the caller now owes),
   * else null. Under the lock.
   */
  private Connection takeFlush() {
    if (!needsFlush || connection == null) {
      return null;
    }
    needsFlush = false;
    return connection;
  }

  /**
   * Sends what {@code send} has queued on this thread, with the lock released, if the
   * connection can ({@link Connection#flushOnCallingThread}), then runs the callbacks. For the
   * last frames of a call's side: nothing follows to batch them with, and handing them to the
   * connection's own thread costs a wake-up on the way of every call. Never under the lock:
   * the write may wait for the link, and the reader needs the lock to go on reading.
   */
  private void sendOnThisThread(Connection send) {
    if (send != null) {
      send.flushOnCallingThread();
    }
    runCallbacks();
  }

  // ---- locking and callbacks -----------------------------------------------------------------

  /** Makes {@code callback} once the lock is released, in order with the others. Under the lock. */
  void afterUnlock(Runnable callback) {
    callbacks.add(callback);
  }

  /** Runs the callbacks queued by {@link #afterUnlock}; does nothing if the lock is held. */
  void runCallbacks() {
    callbacks.run();
  }

  /**
   * Runs gRPC's transport-thread work ({@code runOnTransportThread}: delivering requested
   * messages, say) in order with the callbacks, outside the lock: it ends in listener calls.
   */
  void runSerially(Runnable work) {
    synchronized (lock) {
      afterUnlock(work);
    }
    runCallbacks();
  }

  /** Runs {@code action} under the lock, flushes what it wrote, then runs the callbacks. */
  void locked(Runnable action) {
    locked(action, true);
  }

  /**
   * Runs {@code action} under the lock and, if {@code flush} and it wrote anything, flushes
   * (else what it wrote goes with the next flush); then runs the callbacks. A section that
   * wrote nothing (gRPC's {@code request(n)}, say) leaves frames written earlier unflushed,
   * as their writer asked: the HEADERS of a unary call wait for its request.
   */
  void locked(Runnable action, boolean flush) {
    synchronized (lock) {
      long before = framesWritten;
      action.run();
      if (flush && framesWritten != before) {
        flushIfNeeded();
      }
    }
    runCallbacks();
  }

  /**
   * Runs {@code action} under the lock after {@code delayNanos} (then flushes and runs the
   * callbacks), unless the link has died by then. Under the lock.
   */
  void scheduleLocked(Runnable action, long delayNanos) {
    if (closedStatus != null) {
      return;
    }
    timers.removeIf(ScheduledFuture::isDone);
    timers.add(scheduler.schedule(() -> locked(() -> {
      if (closedStatus == null) {
        action.run();
      }
    }), delayNanos, TimeUnit.NANOSECONDS));
  }

  /** The connection's counters for channelz, which gRPC's stream classes report to as well. */
  TransportTracer tracer() {
    return tracer;
  }

  /**
   * channelz's statistics of this connection: the counters, the link's local and remote
   * addresses, and its TLS session where it has one. Taken under the lock, as the session
   * writes its counters (messages sent, a client's streams started, keep-alive pings); gRPC's
   * stream classes write theirs (streams ended, a server's streams started, messages received)
   * on the callback queue or the thread that deframes, so a snapshot taken while calls run may
   * lag those calls. Null while a client is still connecting: there is no link to describe.
   */
  ListenableFuture<SocketStats> stats() {
    SocketStats stats;
    synchronized (lock) {
      if (connection == null) {
        return Futures.immediateFuture(null);
      }
      Attributes link = connection.attributes();
      SSLSession tls = link.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      stats = new SocketStats(tracer.getStats(), link.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
          link.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          new InternalChannelz.SocketOptions.Builder().build(),
          tls == null ? null : new InternalChannelz.Security(new InternalChannelz.Tls(tls)));
    }
    return Futures.immediateFuture(stats);
  }

  InternalLogId logId() {
    return logId;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  private String describe() {
    return side.describe();
  }

  @Override
  public String toString() {
    return describe();
  }
}
