package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a session wrote to its connection that the link has not taken yet
 * ({@link dev.plumb.rpc.spi.ConnectionHandler#onSent}), and the gate that bounds it. The peer's
 * windows may be huge (up to 2^31-1 per stream): they say what the peer will buffer, not how
 * fast it reads. So DATA goes to the connection only while the backlog is below
 * {@link #HIGH_WATER}; a stream that finds it above waits in {@link FlowControl} until the link
 * brings it down to {@link #LOW_WATER}. The stream's gRPC {@code onSentBytes} comes only when
 * its DATA is handed over, so {@code isReady} turns false and a well-behaved sender stops: the
 * memory a peer that does not read can pin is about one high-water mark per connection plus
 * gRPC's 32 KiB per stream. The peer's windows are not capped: with this gate they cost
 * nothing, and a sender that used less than the window a peer granted could wait for ever for
 * a WINDOW_UPDATE that the peer sends only after half its window arrived.
 *
 * <p>Control frames (HEADERS, RESET, WINDOW_UPDATE, PING answers) are not gated, but a peer
 * that provokes them without reading would grow the backlog without end: more than
 * {@link #MAX_CONTROL_FRAMES_WHILE_FULL} of them written while the backlog is above the
 * high-water mark end the connection (Netty's HTTP/2 codec has the same limit).
 *
 * <p>Threading: {@link #written}, {@link #admitsData} and {@link #await} run under the session
 * lock; {@link #taken} on the transport's threads. The backlog is atomic. Waiting streams and
 * the link meet Dekker-style: a stream sets {@link #waiting} and then re-reads the backlog, the
 * link lowers the backlog and then reads {@link #waiting}; both are volatile accesses, so at
 * least one of the two sees the other's write and no resume is lost.
 */
final class LinkBacklog {
  /** Unsent bytes at which DATA stops going to the connection. */
  static final long HIGH_WATER = 1 << 20;
  /** Unsent bytes at which waiting streams resume. */
  static final long LOW_WATER = 256 << 10;
  static final int MAX_CONTROL_FRAMES_WHILE_FULL = 10_000;

  private final AtomicLong unsent = new AtomicLong();
  private final AtomicBoolean waiting = new AtomicBoolean();
  /** Control frames written since the backlog was last below the high-water mark. Under the lock. */
  private int controlFramesWhileFull;

  /**
   * Counts {@code frame} (before the connection may take it). Returns whether it is one control
   * frame too many: the peer does not read, yet keeps provoking answers.
   */
  boolean written(Frame frame) {
    long backlog = unsent.addAndGet(frame.wireLength());
    if (backlog < HIGH_WATER) {
      controlFramesWhileFull = 0;
      return false;
    }
    return frame.type() != FrameType.DATA && frame.type() != FrameType.ATTACH_DATA
        && ++controlFramesWhileFull > MAX_CONTROL_FRAMES_WHILE_FULL;
  }

  /** Whether DATA (or ATTACH_DATA) may go to the connection now. */
  boolean admitsData() {
    return unsent.get() < HIGH_WATER;
  }

  /**
   * A stream found the backlog full and will wait for {@link #taken} to say it fell: returns
   * true if it already has (the stream may go on now instead of waiting).
   */
  boolean await() {
    waiting.set(true);
    return admitsData();
  }

  /**
   * The link took {@code bytes}. Returns true, once per {@link #await}, when streams wait and
   * the backlog has fallen to the low-water mark: the caller resumes them.
   */
  boolean taken(long bytes) {
    return unsent.addAndGet(-bytes) <= LOW_WATER && waiting.get()
        && waiting.compareAndSet(true, false);
  }

  /** Bytes written and not yet taken by the link. */
  long unsent() {
    return unsent.get();
  }
}
