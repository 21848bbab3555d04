package dev.plumb.rpc.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One frame of the Plumb protocol: a type, flags, a stream id and a payload.
 *
 * <p>The payload is the {@linkplain ByteBuffer#remaining() remaining} bytes of a buffer whose
 * ownership travels with the frame: whoever holds the frame may consume the buffer, so a
 * frame is sent or delivered once. Immutable otherwise, and safe to hand between threads.
 *
 * <p>A payload may lie in an array lent by the {@link PayloadPool}. Whoever holds such a frame
 * last (a transport that copied the bytes out to its link, the core once gRPC has read a
 * message) calls {@link #release}, once; after that, the payload must not be read. Frames
 * that are dropped unreleased (a connection closing with frames queued) leave their arrays to
 * the garbage collector, so only an early or second release can do harm. On frames without a
 * lent array, release does nothing.
 */
public final class Frame {
  /** DATA: the sender's half of the stream ends with this frame. */
  public static final int FLAG_END_STREAM = 0x1;
  /** PING: this frame answers a ping. */
  public static final int FLAG_ACK = 0x1;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final FrameType type;
  private final int flags;
  private final int streamId;
  private final ByteBuffer payload;
  /** The lent array under the payload, or null. */
  private final PooledBytes pooled;

  private Frame(FrameType type, int flags, int streamId, ByteBuffer payload, PooledBytes pooled) {
    this.type = Objects.requireNonNull(type, "type");
    this.flags = flags;
    this.streamId = streamId;
    this.payload = payload;
    this.pooled = pooled;
  }

  public static Frame of(FrameType type, int flags, int streamId, ByteBuffer payload) {
    return new Frame(type, flags, streamId, payload == null ? EMPTY.duplicate() : payload, null);
  }

  public static Frame of(FrameType type, int flags, int streamId, byte[] payload) {
    return new Frame(type, flags, streamId, ByteBuffer.wrap(payload), null);
  }

  /**
   * A frame whose payload, the first {@code length} bytes of {@code pooled}'s array, it owns:
   * it takes over the caller's reference.
   */
  public static Frame pooled(FrameType type, int flags, int streamId, PooledBytes pooled,
      int length) {
    return pooled(type, flags, streamId, ByteBuffer.wrap(pooled.array(), 0, length), pooled);
  }

  /** The same, for a caller that already holds a buffer over {@code pooled}'s array. */
  static Frame pooled(FrameType type, int flags, int streamId, ByteBuffer payload,
      PooledBytes pooled) {
    return new Frame(type, flags, streamId, payload, pooled);
  }

  /**
   * This frame on stream {@code streamId} with {@code flags}: the same payload, whose
   * ownership (and lent array, if any) passes to the new frame.
   */
  public Frame reissue(int flags, int streamId) {
    return new Frame(type, flags, streamId, payload, pooled);
  }

  /**
   * A frame of the next {@code length} payload bytes, which this frame then no longer holds:
   * its payload starts after them. Each frame owns its part (the lent array, if any, is
   * retained for the new one), so the two may be sent and released in any order.
   */
  public Frame splitFront(int flags, int streamId, int length) {
    ByteBuffer front = payload.duplicate();
    front.limit(front.position() + length);
    payload.position(payload.position() + length);
    return new Frame(type, flags, streamId, front, pooled == null ? null : pooled.retain());
  }

  /** Gives a lent payload array back; the payload must not be read after. See the class doc. */
  public void release() {
    if (pooled != null) {
      pooled.release();
    }
  }

  /**
   * The lent array under the payload, or null: for a holder that passes the frame's reference
   * on (to a buffer it then releases instead of the frame).
   */
  public PooledBytes pooledBytes() {
    return pooled;
  }

  public FrameType type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  public int streamId() {
    return streamId;
  }

  /** The payload; its remaining bytes are the frame's payload. */
  public ByteBuffer payload() {
    return payload;
  }

  public int payloadLength() {
    return payload.remaining();
  }

  /**
   * The frame's size on the wire, header included: what a link reports having taken
   * ({@link dev.plumb.rpc.spi.ConnectionHandler#onSent}). Read before the payload is consumed.
   */
  public int wireLength() {
    return FrameCodec.HEADER_LENGTH + payload.remaining();
  }

  /** A copy of the payload's bytes, leaving the buffer as it was. */
  public byte[] payloadBytes() {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return bytes;
  }

  @Override
  public String toString() {
    return type + "{stream=" + streamId + ", flags=0x" + Integer.toHexString(flags)
        + ", length=" + payload.remaining() + "}";
  }
}
