package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Grpc;
import io.grpc.Status;
import io.grpc.internal.ObjectPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses the connections a server will not serve (past a connection limit) through the
 * connection itself, so that every transport refuses the same way: the preface, then a GO_AWAY
 * in place of HELLO with the reason (docs/PROTOCOL.md, "Refusal"; the same bytes as
 * {@code kit.Refusal}), which the client's connection attempt fails with. The refused
 * connection never reaches gRPC and holds no place in the limits. Each refusal is logged at
 * WARN, at most 20 a minute.
 *
 * <p>When to close: not before the peer has spoken. Its first frame (its HELLO) read means
 * nothing of it is left unread, so closing sends a plain end of stream; closing earlier could
 * reset a TCP connection under the GO_AWAY, or make a Unix socket peer's first write fail
 * before it read the reason. A peer that says nothing is closed after the linger time (the
 * handshake timeout, which it would get if admitted). At most {@link #MAX_LINGERING} refused
 * connections wait like this at once; past that, one is closed as soon as its GO_AWAY is queued
 * (its peer may then see only a lost connection), so that a flood of refused peers cannot pile
 * up links.
 *
 * <p>Thread-safe; no lock is held while a transport is called.
 */
final class ConnectionRefuser {
  private static final Logger log = LoggerFactory.getLogger(ConnectionRefuser.class);
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);
  /** Refused connections waiting for their peer at once, per server. */
  static final int MAX_LINGERING = 128;

  private final Semaphore lingering = new Semaphore(MAX_LINGERING);
  private final ObjectPool<ScheduledExecutorService> timerPool;
  private final long lingerNanos;
  private final int maxFrameSize;

  /**
   * @param lingerNanos how long a refused connection waits for its peer to speak
   * @param maxFrameSize the largest frame the refused peer may send (its HELLO), as advertised
   *     by the server to admitted peers
   */
  ConnectionRefuser(ObjectPool<ScheduledExecutorService> timerPool, long lingerNanos,
      int maxFrameSize) {
    this.timerPool = timerPool;
    this.lingerNanos = lingerNanos;
    this.maxFrameSize = maxFrameSize;
  }

  /** Refuses {@code connection}, not yet started, with {@code reason}, and logs it. */
  void refuse(Connection connection, Status reason) {
    peerWarnings.warn("refused", "{}: refused a connection from {}: {}",
        connection.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
        connection.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), reason.getDescription());
    new RefusedLink(connection, reason, lingering.tryAcquire()).start();
  }

  /** One refused connection: GO_AWAY out, whatever comes in dropped, closed once done. */
  private final class RefusedLink implements ConnectionHandler {
    private final Connection connection;
    private final Status reason;
    private final boolean lingers;
    /**
     * What must happen before the link closes: the GO_AWAY is queued, and, if it lingers, the
     * peer has spoken. Whichever thread takes it to zero closes.
     */
    private final AtomicInteger untilClose;
    private final AtomicBoolean peerSpoke = new AtomicBoolean();
    /** Set before the connection starts, so its threads (started after) see them. */
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> lingerLimit;

    RefusedLink(Connection connection, Status reason, boolean lingers) {
      this.connection = connection;
      this.reason = reason;
      this.lingers = lingers;
      this.untilClose = new AtomicInteger(lingers ? 2 : 1);
    }

    void start() {
      if (lingers) {
        timer = timerPool.getObject();
        lingerLimit = timer.schedule(() -> connection.close(reason), lingerNanos,
            TimeUnit.NANOSECONDS);
      }
      connection.start(this);
      connection.write(ControlFrames.goAway(0, reason));
      connection.flush();
      stepTowardsClose();
    }

    private void stepTowardsClose() {
      if (untilClose.decrementAndGet() == 0) {
        connection.close(reason);
      }
    }

    @Override
    public int maxFrameSize() {
      return maxFrameSize;
    }

    @Override
    public void onSent(long bytes) {
      // One GO_AWAY is all this link writes: nothing to bound.
    }

    @Override
    public void onReadComplete() {
      // Nothing is held back: every frame is dropped as it comes.
    }

    @Override
    public void onFrame(Frame frame) {
      frame.release();
      if (lingers && peerSpoke.compareAndSet(false, true)) {
        stepTowardsClose();
      }
    }

    @Override
    public void onProtocolError(ProtocolException error) {
      // Not a Plumb client: it would not understand the reason either.
      connection.close(reason);
    }

    @Override
    public void onClosed(Status status) {
      if (lingers) {
        lingerLimit.cancel(false);
        timerPool.returnObject(timer);
        lingering.release();
      }
    }
  }
}
