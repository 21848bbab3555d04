package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.log.RateLimitedWarnings;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's keep-alive (grpc-netty's {@code keepAliveTime} and {@code keepAliveTimeout}):
 * a client that sent nothing for the keep-alive time is sent a PING; if nothing at all comes
 * back within the timeout, the connection is closed and its calls end UNAVAILABLE.
 *
 * <p>Not gRPC's {@code KeepAliveManager}: that one measures quiet time on its own clock, and
 * this one reads the session's ({@code nanoTime}), so that the session harness can move it.
 * One check is pending at a time; frames only note when they came, and the check, when due,
 * works out what to do.
 *
 * <p>Threading: every method, and the check, runs under the session lock.
 */
final class ServerKeepAlive {
  private static final Logger log = LoggerFactory.getLogger(ServerKeepAlive.class);
  /** Silent clients are a peer's doing: at most 20 such warnings a minute. */
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);
  /** The payload of the server's keep-alive PINGs, so that their acks can be told apart. */
  static final long PAYLOAD = 0x706c756d622d6b61L;

  private final Session<?> session;
  private final ProtocolSettings.KeepAlive settings;
  private final LongSupplier nanoTime;
  private final Consumer<Status> closeNow;

  private long lastFrameNanos;
  /** A PING went out and nothing came back since. */
  private boolean awaitingAnswer;

  /**
   * Pings on {@code session} as {@code settings} say, reading time from {@code nanoTime};
   * {@code closeNow} ends a silent connection.
   */
  ServerKeepAlive(Session<?> session, ProtocolSettings.KeepAlive settings, LongSupplier nanoTime,
      Consumer<Status> closeNow) {
    this.session = session;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.closeNow = closeNow;
  }

  /** The handshake is done: the quiet time starts. */
  void onStarted() {
    if (settings.enabled()) {
      lastFrameNanos = nanoTime.getAsLong();
      session.scheduleLocked(this::check, settings.timeNanos);
    }
  }

  /**
   * A frame arrived: the client is alive. The clock is read only when keep-alive is on: it is
   * off by default, and a clock read per frame is a few per cent of a streaming server's time.
   */
  void onFrameReceived() {
    if (settings.enabled()) {
      lastFrameNanos = nanoTime.getAsLong();
    }
    awaitingAnswer = false;
  }

  /**
   * An answer to a PING of this side. Its arrival already counted as a sign of life
   * ({@link #onFrameReceived}); one that answers no PING of ours is ignored.
   */
  void onPingAck(long payload) {
    if (payload != PAYLOAD) {
      log.debug("{}: ignoring an answer to a PING this server never sent", session);
    }
  }

  private void check() {
    if (awaitingAnswer) {
      Status status = Status.UNAVAILABLE.withDescription("keep-alive: the client did not answer"
          + " a PING within " + TimeUnit.NANOSECONDS.toMillis(settings.timeoutNanos) + " ms");
      peerWarnings.warn("silent", "{}: {}", session, status.getDescription());
      closeNow.accept(status);
      return;
    }
    long quiet = nanoTime.getAsLong() - lastFrameNanos;
    if (quiet < settings.timeNanos) {
      session.scheduleLocked(this::check, settings.timeNanos - quiet);
      return;
    }
    session.write(ControlFrames.ping(0, PAYLOAD));
    session.tracer().reportKeepAliveSent();
    awaitingAnswer = true;
    session.scheduleLocked(this::check, settings.timeoutNanos);
  }
}
