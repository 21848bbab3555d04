package dev.plumb.rpc.internal;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalLogId;
import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half of the Plumb protocol that clients and servers share, over one {@link Connection}:
 * the HELLO handshake, PING, the dispatch of inbound frames, and the sending of frames through
 * {@link FlowControl}. Subclasses add what only one side does with streams.
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
abstract class Session<S extends StreamRecord> implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  final Object lock = new Object();
  final ProtocolSettings local;
  final ScheduledExecutorService scheduler;
  final FlowControl flow;

  /** Set once, before the connection starts; read under the lock. */
  Connection connection;
  /** The peer's settings; null until its HELLO arrives. */
  PeerSettings peer;
  final Map<Integer, S> streams = new HashMap<>();
  /** Non-null once the link is dead. */
  Status closedStatus;
  /** Non-null if the peer refused the connection: a GO_AWAY came in place of its HELLO. */
  Status refusal;

  private final CallbackQueue callbacks = new CallbackQueue(lock, this);
  private boolean needsFlush;
  /** Frames written since the session began; tells whether a locked section wrote. */
  private long framesWritten;
  private boolean failing;
  private boolean attached;
  private ScheduledFuture<?> handshakeTimer;

  private final InternalLogId logId;

  Session(ProtocolSettings local, ScheduledExecutorService scheduler, InternalLogId logId) {
    this.local = local;
    this.scheduler = scheduler;
    this.logId = logId;
    this.flow = new FlowControl(local.streamWindow(), local.connectionWindow(), this::write);
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

  /** Rejects a frame for a stream the peer could not have seen opened. Under the lock. */
  abstract void checkKnownStream(Frame frame) throws ProtocolException;

  /** A stream left the session (see {@link #removeStream}). Under the lock. */
  abstract void onStreamRemoved(S stream);

  /** The link is dead: fail what is open and tell the listener. Under the lock. */
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
        // A bug here: end this connection, loudly, and keep serving the others.
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
      flow.stop();
      onConnectionClosed(status);
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
        onGoAway(ControlFrames.parseGoAway(frame));
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
    flow.peerConnectionWindow(peer.connectionWindow);
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
    locked(() -> {
      if (peer != null || closedStatus != null) {
        return;
      }
      Status status = Status.UNAVAILABLE.withDescription("no HELLO from the peer within "
          + TimeUnit.NANOSECONDS.toMillis(local.handshakeTimeoutNanos()) + " ms");
      log.warn("{}: {}", describe(), status.getDescription());
      connection.close(status);
    });
  }

  /** Ends the connection for a protocol violation: log it, tell the peer, close. */
  final void failConnection(Status status) {
    log.warn("{}: closing the connection: {}", describe(), status.getDescription());
    failing = true;
    write(ControlFrames.goAway(lastPeerStreamId(), status));
    flushIfNeeded();
    connection.close(status);
  }

  /** The highest stream id the peer opened that this side processed (servers), else 0. */
  int lastPeerStreamId() {
    return 0;
  }

  // ---- streams and flow control --------------------------------------------------------------

  private void onData(Frame frame) throws ProtocolException {
    S stream = streams.get(frame.streamId());
    if (stream == null) {
      checkKnownStream(frame);
    }
    flow.received(stream, frame.payloadLength());
    if (stream != null) {
      onStreamData(stream, frame);
    }
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
      checkKnownStream(frame);
      return;
    }
    flow.streamWindowUpdate(stream, increment);
  }

  /** Queues a frame of {@code stream} behind its earlier ones and sends what windows allow. */
  final void enqueue(S stream, Frame frame) {
    stream.outbound.add(frame);
    if (stream.started) {
      flow.drain(stream);
    }
  }

  /**
   * The application consumed {@code bytes} of {@code stream}'s DATA (gRPC's deframer reports
   * it): grant them back to the peer as {@link FlowControl} batches them.
   */
  final void bytesConsumed(S stream, int bytes) {
    locked(() -> {
      if (closedStatus == null) {
        flow.consumed(stream, bytes);
      }
    });
  }

  /** Takes a stream out of the session: nothing more is sent, its unread bytes are freed. */
  final void removeStream(S stream) {
    if (stream.closed) {
      return;
    }
    stream.closed = true;
    stream.outbound.clear();
    if (stream.id != 0) {
      streams.remove(stream.id);
    }
    flow.release(stream);
    onStreamRemoved(stream);
  }

  final void writeReset(int streamId, Status status) {
    write(ControlFrames.reset(streamId, status));
  }

  // ---- ping ----------------------------------------------------------------------------------

  private void onPing(Frame frame) throws ProtocolException {
    if (frame.hasFlag(Frame.FLAG_ACK)) {
      onPingAck(ControlFrames.pingPayload(frame));
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

  // ---- writing -------------------------------------------------------------------------------

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
  final void afterUnlock(Runnable callback) {
    callbacks.add(callback);
  }

  /** Runs the callbacks queued by {@link #afterUnlock}; does nothing if the lock is held. */
  final void runCallbacks() {
    callbacks.run();
  }

  /**
   * Runs gRPC's transport-thread work ({@code runOnTransportThread}: delivering requested
   * messages, say) in order with the callbacks, outside the lock: it ends in listener calls.
   */
  final void runSerially(Runnable work) {
    synchronized (lock) {
      afterUnlock(work);
    }
    runCallbacks();
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
}
