package dev.plumb.rpc.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One frame of the Plumb protocol: a type, flags, a stream id and a payload.
 *
 * <p>The payload is the {@linkplain ByteBuffer#remaining() remaining} bytes of a buffer whose
 * ownership travels with the frame: whoever holds the frame may consume the buffer, so a
 * frame is sent or delivered once. Immutable otherwise, and safe to hand between threads.
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

  private Frame(FrameType type, int flags, int streamId, ByteBuffer payload) {
    this.type = Objects.requireNonNull(type, "type");
    this.flags = flags;
    this.streamId = streamId;
    this.payload = payload;
  }

  public static Frame of(FrameType type, int flags, int streamId, ByteBuffer payload) {
    return new Frame(type, flags, streamId, payload == null ? EMPTY.duplicate() : payload);
  }

  public static Frame of(FrameType type, int flags, int streamId, byte[] payload) {
    return new Frame(type, flags, streamId, ByteBuffer.wrap(payload));
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
