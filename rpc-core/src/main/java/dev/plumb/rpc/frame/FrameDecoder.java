package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameCodec.HEADER_LENGTH;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns the bytes of a byte-stream connection into frames: first the peer's {@link Preface},
 * then frames laid out as {@link FrameCodec} draws them. Input may be split anywhere, down to
 * one byte per call.
 *
 * <p>Every check that a header allows is made before the payload is allocated: length against
 * the maximum this side advertised, known type, reserved bit, the stream id a type demands, and
 * the fixed sizes of WINDOW_UPDATE and PING. DATA payloads of {@link PayloadPool#SMALLEST}
 * bytes or more go into arrays lent by the shared {@link PayloadPool}: whoever consumes such a
 * frame releases it ({@link Frame#release}). After a {@link ProtocolException} the decoder stays
 * failed; the connection must be closed.
 *
 * <p>Not thread-safe: one reader thread feeds it.
 */
public final class FrameDecoder {
  /** Receives decoded frames, in order. */
  public interface FrameSink {
    void onFrame(Frame frame);
  }

  private enum State { PREFACE, HEADER, PAYLOAD, FAILED }

  private final int maxFrameSize;
  private final PayloadPool pool;
  private final ByteBuffer prefix = ByteBuffer.allocate(Math.max(Preface.LENGTH, HEADER_LENGTH));
  private State state;
  private FrameType type;
  private int flags;
  private int streamId;
  private ByteBuffer payload;
  /** The lent array under {@link #payload}, or null. */
  private PooledBytes pooled;

  /**
   * @param maxFrameSize the largest payload this side accepts (what it advertised in HELLO)
   * @param expectPreface whether the stream starts with the peer's preface
   */
  public FrameDecoder(int maxFrameSize, boolean expectPreface) {
    this(maxFrameSize, expectPreface, PayloadPool.shared());
  }

  /** The same, lending DATA payloads from {@code pool}: a test's own pool, to count them. */
  FrameDecoder(int maxFrameSize, boolean expectPreface, PayloadPool pool) {
    if (maxFrameSize <= 0 || maxFrameSize > FrameCodec.MAX_FRAME_SIZE_LIMIT) {
      throw new IllegalArgumentException("maxFrameSize out of range: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.pool = pool;
    this.state = expectPreface ? State.PREFACE : State.HEADER;
    prefix.limit(expectPreface ? Preface.LENGTH : HEADER_LENGTH);
  }

  /** Consumes all of {@code in}, handing each complete frame to {@code sink}. */
  public void decode(ByteBuffer in, FrameSink sink) throws ProtocolException {
    try {
      while (in.hasRemaining()) {
        switch (state) {
          case PREFACE:
            if (fill(prefix, in)) {
              Preface.check(java.util.Arrays.copyOf(prefix.array(), Preface.LENGTH));
              prefix.clear().limit(HEADER_LENGTH);
              state = State.HEADER;
            }
            break;
          case HEADER:
            if (prefix.position() == 0 && in.remaining() >= HEADER_LENGTH
                && in.order() == ByteOrder.BIG_ENDIAN) {
              // The whole header is in the input (most reads, and every shm: record): read
              // in place rather than staged through the prefix buffer.
              startFrame(in);
              emitIfComplete(sink);
            } else if (fill(prefix, in)) {
              startFrame(prefix.flip());
              prefix.clear().limit(HEADER_LENGTH);
              emitIfComplete(sink);
            }
            break;
          case PAYLOAD:
            fill(payload, in);
            emitIfComplete(sink);
            break;
          case FAILED:
          default:
            throw ProtocolException.malformed("decoder used after a protocol error");
        }
      }
    } catch (ProtocolException e) {
      state = State.FAILED;
      payload = null;
      pooled = null;  // Unreleased: the garbage collector takes it.
      throw e;
    }
  }

  /** Whether the stream ended between frames, so an end-of-file here loses nothing. */
  public boolean isAtFrameBoundary() {
    return state == State.HEADER && prefix.position() == 0;
  }

  /** Bytes of the current, incomplete frame or preface: for "truncated" error messages. */
  public String describePartialInput() {
    switch (state) {
      case PREFACE:
        return prefix.position() + " of " + Preface.LENGTH + " preface bytes";
      case HEADER:
        return prefix.position() + " of " + HEADER_LENGTH + " frame header bytes";
      case PAYLOAD:
        return "a " + type + " frame with " + payload.position() + " of " + payload.limit()
            + " payload bytes";
      default:
        return "nothing (decoder failed)";
    }
  }

  private void startFrame(ByteBuffer header) throws ProtocolException {
    int length = header.getInt();
    int typeCode = header.get() & 0xff;
    flags = header.get() & 0xff;
    streamId = header.getInt();
    type = FrameType.forCode(typeCode);
    if (type == null) {
      throw ProtocolException.malformed(String.format("unknown frame type 0x%02x", typeCode));
    }
    if (length < 0 || length > maxFrameSize) {
      throw ProtocolException.malformed(type + " frame of " + Integer.toUnsignedString(length)
          + " bytes exceeds the maximum frame size of " + maxFrameSize);
    }
    if (streamId < 0) {
      throw ProtocolException.malformed(String.format(
          "%s frame with the reserved stream id bit set: 0x%08x", type, streamId));
    }
    checkStreamId();
    checkFixedLength(length);
    pooled = type == FrameType.DATA ? pool.take(length) : null;
    payload = pooled != null ? ByteBuffer.wrap(pooled.array(), 0, length)
        : ByteBuffer.allocate(length);
    state = State.PAYLOAD;
  }

  private void checkStreamId() throws ProtocolException {
    boolean connectionLevel = type == FrameType.HELLO || type == FrameType.PING
        || type == FrameType.GO_AWAY;
    if (connectionLevel && streamId != 0) {
      throw ProtocolException.malformed(type + " frame on stream " + streamId + ", must be 0");
    }
    boolean streamLevel = type == FrameType.HEADERS || type == FrameType.DATA
        || type == FrameType.TRAILERS || type == FrameType.RESET || type == FrameType.ATTACH
        || type == FrameType.ATTACH_DATA;
    if (streamLevel && streamId == 0) {
      throw ProtocolException.malformed(type + " frame on stream 0");
    }
  }

  private void checkFixedLength(int length) throws ProtocolException {
    int expected = type == FrameType.WINDOW_UPDATE ? FrameCodec.WINDOW_UPDATE_LENGTH
        : type == FrameType.PING ? FrameCodec.PING_LENGTH : -1;
    if (expected >= 0 && length != expected) {
      throw ProtocolException.malformed(
          type + " frame of " + length + " bytes, must be " + expected);
    }
  }

  private void emitIfComplete(FrameSink sink) {
    if (state == State.PAYLOAD && !payload.hasRemaining()) {
      Frame frame = pooled != null ? Frame.pooled(type, flags, streamId, payload.flip(), pooled)
          : Frame.of(type, flags, streamId, payload.flip());
      payload = null;
      pooled = null;
      state = State.HEADER;
      sink.onFrame(frame);
    }
  }

  /** Copies what fits from {@code in} to {@code dst}; true when {@code dst} is full. */
  private static boolean fill(ByteBuffer dst, ByteBuffer in) {
    int n = Math.min(dst.remaining(), in.remaining());
    if (n > 0) {
      int oldLimit = in.limit();
      in.limit(in.position() + n);
      dst.put(in);
      in.limit(oldLimit);
    }
    return !dst.hasRemaining();
  }
}
