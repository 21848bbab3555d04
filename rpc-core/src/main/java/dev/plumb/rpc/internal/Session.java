package dev.plumb.rpc.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.proto.wire.Reset;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalLogId;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half of the Plumb protocol that clients and servers share, over one {@link Connection}:
 * the HELLO handshake, flow control in both directions, PING and the sending of frames.
 * Subclasses add what only one side does with streams.
 *
 * <p>Threading: all state lives under {@link #lock}, taken by the transport's reader thread
 * for each inbound frame and by application threads for each outbound operation (the model of
 * grpc-okhttp). gRPC's stream {@code TransportState} methods are therefore called with the
 * lock held; their listeners only queue work onto call executors. Callbacks into gRPC's
 * transport listeners run after the lock is released ({@link #afterUnlock}), so no foreign
 * code that may take channel-wide locks ever runs under a session lock. Writes to the
 * connection never block (the {@link Connection} contract), which is what makes holding the
 * lock while writing safe.
 *
 * <p>Two server-side callbacks do run under the lock, as grpc-netty runs them on its event
 * loop: {@code ServerTransportListener.transportReady} (user transport filters) and
 * {@code streamCreated} (which only queues the call onto the server's executor). Neither may
 * block.
 */
abstract class Session<S extends StreamState> implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** Characters of a status description carried by RESET or GO_AWAY (1024-byte frames fit). */
  static final int MAX_WIRE_MESSAGE = 200;

  final Object lock = new Object();
  final ProtocolSettings local;
  final ScheduledExecutorService scheduler;

  /** Set once, before the connection starts; read under the lock. */
  Connection connection;
  /** The peer's settings; null until its HELLO arrives. */
  PeerSettings peer;
  final Map<Integer, S> streams = new HashMap<>();
  /** Non-null once the link is dead. */
  Status closedStatus;
  /** Non-null if the peer refused the connection: a GO_AWAY came in place of its HELLO. */
  Status refusal;

  private int connectionSendWindow;
  private int connectionReceiveWindow;
  private int connectionUnacknowledged;
  private final ArrayDeque<S> blockedOnConnection = new ArrayDeque<>();
  private boolean needsFlush;
  /** Frames written since the session began; tells whether a locked section wrote. */
  private long framesWritten;
  private boolean failing;
  private boolean attached;
  private ScheduledFuture<?> handshakeTimer;
  private final ArrayDeque<Runnable> afterUnlock = new ArrayDeque<>();
  private boolean draining;

  private final InternalLogId logId;

  Session(ProtocolSettings local, ScheduledExecutorService scheduler, InternalLogId logId) {
    this.local = local;
    this.scheduler = scheduler;
    this.logId = logId;
    this.connectionReceiveWindow = local.connectionWindow();
  }

  /** A short name for log lines: side and address. */
  abstract String describe();

  /** The peer's HELLO arrived; the session may now carry streams. Under the lock. */
  abstract void onHandshakeComplete();

  /** A HEADERS, TRAILERS or RESET frame. Under the lock. */
  abstract void onStreamFrame(Frame frame) throws ProtocolException;

  /** DATA for an open stream, already counted against the windows. Under the lock. */
  abstract void onStreamData(S stream, Frame frame) throws ProtocolException;

  abstract void onGoAway(GoAway goAway) throws ProtocolException;

  /** A stream left the session (see {@link #removeStream}). Under the lock. */
  abstract void onStreamRemoved(S stream);

  /**
   * The link is dead: fail what is open and tell the listener. Under the lock; listener calls
   * go through {@link #afterUnlock}.
   */
  abstract void onConnectionClosed(Status status);

  /** Starts the session on a connected link: sends HELLO and waits for the peer's. */
  final void attach(Connection connection) {
    OpenConnections.opened();
    // Started under the lock, so that the peer's frames, which need the lock, cannot be
    // handled before this side's HELLO is queued: HELLO must be the first frame sent.
    synchronized (lock) {
      this.connection = connection;
      attached = true;
      connection.start(this);
      if (closedStatus == null) {
        write(Frame.of(FrameType.HELLO, 0, 0, local.toHello().toByteArray()));
        flushIfNeeded();
        handshakeTimer = scheduler.schedule(
            this::handshakeTimedOut, local.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS);
      }
    }
    runCallbacks();
  }

  @Override
  public final void onFrame(Frame frame) {
    synchronized (lock) {
      if (closedStatus != null || failing) {
        return;
      }
      try {
        onInboundFrame();
        dispatch(frame);
      } catch (ProtocolException e) {
        failConnection(e.status());
      } catch (RuntimeException e) {
        // A bug here, or in gRPC code called from here: end this connection, loudly, and
        // keep serving the others.
        log.error("{}: failed on {}", describe(), frame, e);
        failConnection(Status.INTERNAL.withDescription("internal error: " + e));
      }
      flushIfNeeded();
    }
    runCallbacks();
  }

  @Override
  public final int maxFrameSize() {
    return local.maxFrameSize();
  }

  @Override
  public final void onProtocolError(ProtocolException error) {
    locked(() -> {
      if (closedStatus == null && !failing) {
        failConnection(error.status());
      }
    });
  }

  @Override
  public final void onClosed(Status status) {
    synchronized (lock) {
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
      onConnectionClosed(status);
      streams.clear();
      blockedOnConnection.clear();
    }
    runCallbacks();
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
        onRefused(parseGoAway(frame));
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
        onGoAway(parseGoAway(frame));
        break;
      case DATA:
        onData(frame);
        break;
      default:
        onStreamFrame(frame);
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
    connectionSendWindow = peer.connectionWindow;
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    log.debug("{}: handshake complete, peer {}", describe(), peer.agent);
    onHandshakeComplete();
  }

  /**
   * The peer sent GO_AWAY in place of HELLO: it will not serve this connection (a transport's
   * access control, see {@link dev.plumb.rpc.kit.Refusal}). Close with its code and reason.
   */
  private void onRefused(GoAway goAway) {
    Status code = Status.fromCodeValue(goAway.getStatusCode());
    refusal = (code.isOk() ? Status.UNAVAILABLE : code)
        .withDescription("the peer refused the connection: " + goAway.getMessage());
    log.warn("{}: {}", describe(), refusal.getDescription());
    failing = true;
    connection.close(refusal);
  }

  private void handshakeTimedOut() {
    synchronized (lock) {
      if (peer != null || closedStatus != null) {
        return;
      }
      Status status = Status.UNAVAILABLE.withDescription("no HELLO from the peer within "
          + TimeUnit.NANOSECONDS.toMillis(local.handshakeTimeoutNanos()) + " ms");
      log.warn("{}: {}", describe(), status.getDescription());
      connection.close(status);
    }
    runCallbacks();
  }

  /** Ends the connection for a protocol violation: log it, tell the peer, close. */
  final void failConnection(Status status) {
    log.warn("{}: closing the connection: {}", describe(), status.getDescription());
    failing = true;
    write(goAwayFrame(lastPeerStreamId(), status));
    flushIfNeeded();
    connection.close(status);
  }

  /** The highest stream id the peer opened that this side processed (servers), else 0. */
  int lastPeerStreamId() {
    return 0;
  }

  // ---- outbound ---------------------------------------------------------------------------

  final void write(Frame frame) {
    connection.write(frame);
    framesWritten++;
    needsFlush = true;
  }

  final void flushIfNeeded() {
    if (needsFlush && connection != null) {
      needsFlush = false;
      connection.flush();
    }
  }

  /** Queues a frame of {@code stream} behind its earlier ones and sends what windows allow. */
  final void enqueue(S stream, Frame frame) {
    stream.outbound.add(frame);
    if (stream.started) {
      drain(stream);
    }
  }

  /**
   * Writes the stream's queued frames in order while the stream and connection windows allow.
   * A DATA frame larger than the windows is split; the rest waits for a WINDOW_UPDATE.
   */
  final void drain(S stream) {
    while (!stream.closed && !stream.outbound.isEmpty()) {
      Frame next = stream.outbound.peek();
      if (next.type() != FrameType.DATA) {
        stream.outbound.poll();
        write(next.reissue(next.flags(), stream.id));
        stream.onControlFrameSent(next);
        continue;
      }
      int length = next.payloadLength();
      int allowed = Math.min(length, Math.min(stream.sendWindow, connectionSendWindow));
      if (length > 0 && allowed <= 0) {
        if (connectionSendWindow <= 0 && stream.sendWindow > 0 && !stream.blockedOnConnection) {
          stream.blockedOnConnection = true;
          blockedOnConnection.add(stream);
        }
        return;
      }
      if (allowed == length) {
        stream.outbound.poll();
        write(next.reissue(next.flags(), stream.id));
      } else {
        write(next.splitFront(0, stream.id, allowed));
      }
      stream.sendWindow -= allowed;
      connectionSendWindow -= allowed;
      if (allowed > 0) {
        stream.onDataSent(allowed);
      }
    }
  }

  final void writeReset(int streamId, Status status) {
    Reset reset = Reset.newBuilder()
        .setStatusCode(status.getCode().value())
        .setMessage(wireMessage(status))
        .build();
    write(Frame.of(FrameType.RESET, 0, streamId, reset.toByteArray()));
  }

  static Frame goAwayFrame(int lastStreamId, Status status) {
    GoAway goAway = GoAway.newBuilder()
        .setLastStreamId(lastStreamId)
        .setStatusCode(status.getCode().value())
        .setMessage(wireMessage(status))
        .build();
    return Frame.of(FrameType.GO_AWAY, 0, 0, goAway.toByteArray());
  }

  /**
   * A status description as sent in RESET and GO_AWAY: at most {@link #MAX_WIRE_MESSAGE}
   * characters, so that it always fits the smallest frame a peer may advertise.
   */
  static String wireMessage(Status status) {
    String description = status.getDescription();
    if (description == null) {
      return "";
    }
    return description.length() <= MAX_WIRE_MESSAGE ? description
        : description.substring(0, MAX_WIRE_MESSAGE - 3) + "...";
  }

  /** Takes a stream out of the session: nothing more is sent, its unread bytes are freed. */
  final void removeStream(S stream) {
    if (stream.closed) {
      return;
    }
    stream.closed = true;
    stream.outbound.clear();
    if (stream.blockedOnConnection) {
      blockedOnConnection.remove(stream);
      stream.blockedOnConnection = false;
    }
    if (stream.id != 0) {
      streams.remove(stream.id);
    }
    // Bytes the application will never consume (or consumes after this) stop counting
    // against the connection window now; later bytesConsumed calls for this stream are ignored.
    grantConnectionBytes(stream.unconsumed);
    stream.unconsumed = 0;
    onStreamRemoved(stream);
  }

  // ---- inbound flow control ---------------------------------------------------------------

  private void onData(Frame frame) throws ProtocolException {
    int length = frame.payloadLength();
    connectionReceiveWindow -= length;
    if (connectionReceiveWindow < 0) {
      throw ProtocolException.malformed("peer sent " + (-connectionReceiveWindow)
          + " DATA bytes beyond the connection window");
    }
    S stream = streams.get(frame.streamId());
    if (stream == null) {
      // A stream this side already closed (a cancel crossed the data): drop, free the bytes.
      checkKnownStream(frame);
      grantConnectionBytes(length);
      return;
    }
    stream.receiveWindow -= length;
    if (stream.receiveWindow < 0) {
      throw ProtocolException.malformed("peer sent " + (-stream.receiveWindow)
          + " DATA bytes beyond the window of stream " + stream.id);
    }
    stream.unconsumed += length;
    onStreamData(stream, frame);
  }

  /** Rejects a frame for a stream the peer could not have seen opened. Under the lock. */
  abstract void checkKnownStream(Frame frame) throws ProtocolException;

  /**
   * The application consumed {@code bytes} of {@code stream}'s DATA (gRPC's deframer reports
   * it, under the lock): grant them back to the peer, in batches of half a window so that a
   * WINDOW_UPDATE costs little per message.
   */
  final void bytesConsumed(S stream, int bytes) {
    if (stream.closed || closedStatus != null) {
      return;
    }
    stream.unconsumed -= bytes;
    stream.unacknowledged += bytes;
    if (stream.unacknowledged >= local.streamWindow() / 2) {
      write(windowUpdate(stream.id, stream.unacknowledged));
      stream.receiveWindow += stream.unacknowledged;
      stream.unacknowledged = 0;
    }
    grantConnectionBytes(bytes);
    flushIfNeeded();
  }

  private void grantConnectionBytes(int bytes) {
    if (closedStatus != null || bytes == 0) {
      return;
    }
    connectionUnacknowledged += bytes;
    if (connectionUnacknowledged >= local.connectionWindow() / 2) {
      write(windowUpdate(0, connectionUnacknowledged));
      connectionReceiveWindow += connectionUnacknowledged;
      connectionUnacknowledged = 0;
    }
  }

  private static Frame windowUpdate(int streamId, int increment) {
    ByteBuffer payload = ByteBuffer.allocate(4).putInt(increment).flip();
    return Frame.of(FrameType.WINDOW_UPDATE, 0, streamId, payload);
  }

  private void onWindowUpdate(Frame frame) throws ProtocolException {
    int increment = frame.payload().getInt(frame.payload().position());
    if (increment <= 0) {
      throw ProtocolException.malformed("WINDOW_UPDATE increment "
          + Integer.toUnsignedString(increment) + " is not between 1 and 2^31-1");
    }
    if (frame.streamId() == 0) {
      connectionSendWindow = grow(connectionSendWindow, increment, "the connection");
      while (connectionSendWindow > 0 && !blockedOnConnection.isEmpty()) {
        S stream = blockedOnConnection.poll();
        stream.blockedOnConnection = false;
        drain(stream);
      }
      return;
    }
    S stream = streams.get(frame.streamId());
    if (stream == null) {
      checkKnownStream(frame);
      return;
    }
    stream.sendWindow = grow(stream.sendWindow, increment, "stream " + stream.id);
    drain(stream);
  }

  private static int grow(int window, int increment, String what) throws ProtocolException {
    long grown = (long) window + increment;
    if (grown > Integer.MAX_VALUE) {
      throw ProtocolException.malformed("WINDOW_UPDATE grows the window of " + what
          + " beyond 2^31-1");
    }
    return (int) grown;
  }

  // ---- ping ---------------------------------------------------------------------------------

  private void onPing(Frame frame) throws ProtocolException {
    if (frame.hasFlag(Frame.FLAG_ACK)) {
      onPingAck(frame.payload().getLong(frame.payload().position()));
      return;
    }
    checkPingAllowed();
    write(Frame.of(FrameType.PING, Frame.FLAG_ACK, 0, frame.payload()));
  }

  /** Any frame arrived (keep-alive counts it as a sign of life). Under the lock. */
  void onInboundFrame() {}

  /** A PING arrived; throws if the peer pings more than allowed. Under the lock. */
  void checkPingAllowed() throws ProtocolException {}

  /** An answer to a PING this side sent. Under the lock. */
  void onPingAck(long payload) {}

  // ---- callbacks ------------------------------------------------------------------------------

  /** Runs {@code callback} once the lock is released. Under the lock. */
  final void afterUnlock(Runnable callback) {
    afterUnlock.add(callback);
  }

  /**
   * Runs the callbacks queued by {@link #afterUnlock}, in order; does nothing if the lock is
   * held. One thread drains at a time (the pattern of gRPC's SynchronizationContext): a thread
   * that finds another draining leaves its callbacks to it, so gRPC never hears
   * {@code transportTerminated} before {@code transportShutdown}.
   */
  final void runCallbacks() {
    if (Thread.holdsLock(lock)) {
      return;
    }
    synchronized (lock) {
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable callback;
      synchronized (lock) {
        callback = afterUnlock.poll();
        if (callback == null) {
          draining = false;
          return;
        }
      }
      try {
        callback.run();
      } catch (RuntimeException e) {
        log.error("{}: listener callback failed", describe(), e);
      }
    }
  }

  /** Runs {@code action} under the lock, flushes what it wrote, then runs the callbacks. */
  final void locked(Runnable action) {
    locked(action, true);
  }

  /**
   * Runs {@code action} under the lock and, if {@code flush} and it wrote anything, flushes
   * (else what it wrote goes with the next flush); then runs the callbacks. A section that
   * wrote nothing (gRPC's {@code request(n)}, say) leaves frames written earlier unflushed,
   * as their writer asked: the HEADERS of a unary call wait for its request.
   */
  final void locked(Runnable action, boolean flush) {
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
   * Runs {@code action}, which writes the last frames of a call's side (a server's trailers),
   * under the lock; then sends them as {@link #sendOnThisThread} does.
   */
  final void lockedThenSend(Runnable action) {
    Connection send;
    synchronized (lock) {
      action.run();
      send = takeFlush();
    }
    sendOnThisThread(send);
  }

  /**
   * Queues a DATA frame of {@code stream}; if {@code flush}, sends it. A frame that ends the
   * stream's side is sent on this thread ({@link #sendOnThisThread}); the messages of a stream
   * that goes on are left to the connection, which batches those that come in a burst.
   */
  final void sendData(S stream, Frame frame, boolean flush) {
    Connection send = null;
    synchronized (lock) {
      if (!stream.closed) {
        enqueue(stream, frame);
        onDataQueued();
      }
      if (flush && frame.hasFlag(Frame.FLAG_END_STREAM)) {
        send = takeFlush();
      } else if (flush) {
        flushIfNeeded();
      }
    }
    sendOnThisThread(send);
  }

  /** The application queued a DATA frame. Under the lock. */
  void onDataQueued() {}

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

  /** Channelz socket statistics: not collected (gRPC accepts a null). */
  public final ListenableFuture<SocketStats> getStats() {
    SettableFuture<SocketStats> stats = SettableFuture.create();
    stats.set(null);
    return stats;
  }

  public final InternalLogId getLogId() {
    return logId;
  }

  @Override
  public final String toString() {
    return describe();
  }

  static Status statusOf(Reset reset, Status.Code fallback) {
    Status status = Status.fromCodeValue(reset.getStatusCode());
    if (status.isOk()) {
      status = Status.fromCode(fallback);
    }
    return status.withDescription(reset.getMessage().isEmpty() ? null : reset.getMessage());
  }

  static Reset parseReset(Frame frame) throws ProtocolException {
    try {
      return Reset.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed RESET: " + e.getMessage());
    }
  }

  private static GoAway parseGoAway(Frame frame) throws ProtocolException {
    try {
      return GoAway.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed GO_AWAY: " + e.getMessage());
    }
  }
}
