package dev.plumb.rpc.frame;

import java.nio.ByteBuffer;

/**
 * The byte layout of a frame on a byte-stream connection (pipe, unix, tcp):
 *
 * <pre>
 *   0               4       5       6               10
 *   +---------------+-------+-------+---------------+-------------------------+
 *   | length (u32)  | type  | flags | stream id     | payload (length bytes)  |
 *   +---------------+-------+-------+---------------+-------------------------+
 * </pre>
 *
 * All integers are big-endian; {@code length} counts the payload only; the stream id's top
 * bit is reserved and must be zero. The decoder is {@link FrameDecoder}.
 */
public final class FrameCodec {
  public static final int HEADER_LENGTH = 10;
  /** No frame may ever be larger than this, whatever the settings say. */
  public static final int MAX_FRAME_SIZE_LIMIT = 16 * 1024 * 1024;
  /** Payload sizes fixed by the protocol. */
  public static final int WINDOW_UPDATE_LENGTH = 4;
  public static final int PING_LENGTH = 8;

  private FrameCodec() {}

  /** Writes the header of {@code frame} into {@code dst}, which needs {@link #HEADER_LENGTH} bytes. */
  public static void writeHeader(Frame frame, ByteBuffer dst) {
    dst.putInt(frame.payloadLength());
    dst.put((byte) frame.type().code());
    dst.put((byte) frame.flags());
    dst.putInt(frame.streamId());
  }

  /** The whole frame, header and payload, as one new buffer ready to read. Leaves the frame as is. */
  public static ByteBuffer encode(Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + frame.payloadLength());
    writeHeader(frame, out);
    out.put(frame.payload().duplicate());
    return out.flip();
  }
}
