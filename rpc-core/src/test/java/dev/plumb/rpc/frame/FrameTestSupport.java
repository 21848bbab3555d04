package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameCodec.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Helpers shared by the frame codec tests: building frames and byte streams, feeding a decoder
 * in chunks, and a model of where each frame of an encoded stream starts and ends.
 */
final class FrameTestSupport {
  /** The maxFrameSize of the decoders the tests use unless they say otherwise. */
  static final int MAX_FRAME_SIZE = 1024;

  static final HexFormat HEX = HexFormat.of();

  private FrameTestSupport() {}

  /**
   * What a frame carried, compared by value ({@link Frame} compares by identity; a ByteBuffer
   * compares by its remaining bytes).
   */
  record Decoded(FrameType type, int flags, int streamId, ByteBuffer payload) {
    static Decoded of(Frame frame) {
      return new Decoded(frame.type(), frame.flags(), frame.streamId(),
          ByteBuffer.wrap(frame.payloadBytes()).asReadOnlyBuffer());
    }

    int payloadLength() {
      return payload.remaining();
    }

    Frame toFrame() {
      return Frame.of(type, flags, streamId, payload.duplicate());
    }

    @Override
    public String toString() {
      return type + "{stream=" + streamId + ", flags=0x" + Integer.toHexString(flags)
          + ", payload=" + HEX.formatHex(toArray(payload)) + "}";
    }
  }

  static List<Decoded> decodedOf(List<Frame> frames) {
    return frames.stream().map(Decoded::of).toList();
  }

  // ---------------------------------------------------------------- the protocol's rules

  /** HELLO, PING and GO_AWAY belong to the connection: stream 0 only. */
  static boolean isConnectionLevel(FrameType type) {
    return type == FrameType.HELLO || type == FrameType.PING || type == FrameType.GO_AWAY;
  }

  /** HEADERS, DATA, TRAILERS and RESET belong to a stream: never stream 0. */
  static boolean isStreamLevel(FrameType type) {
    return type == FrameType.HEADERS || type == FrameType.DATA || type == FrameType.TRAILERS
        || type == FrameType.RESET || type == FrameType.ATTACH || type == FrameType.ATTACH_DATA;
  }

  /** The payload length the protocol fixes for this type, or -1 if it fixes none. */
  static int fixedLength(FrameType type) {
    switch (type) {
      case WINDOW_UPDATE:
        return FrameCodec.WINDOW_UPDATE_LENGTH;
      case PING:
        return FrameCodec.PING_LENGTH;
      default:
        return -1;
    }
  }

  // ---------------------------------------------------------------- building frames and bytes

  /** Deterministic payload bytes: position dependent, and different for each seed. */
  static byte[] payload(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 131 + i * 31 + (i >>> 8));
    }
    return bytes;
  }

  static Frame frame(FrameType type, int flags, int streamId, int payloadLength) {
    return Frame.of(type, flags, streamId, payload(payloadLength, type.code() * 7 + streamId));
  }

  /** A frame of {@code type} that passes every check of the decoder. */
  static Frame validFrame(FrameType type, int payloadLength) {
    int streamId = isConnectionLevel(type) ? 0 : 1;
    int length = fixedLength(type) >= 0 ? fixedLength(type) : payloadLength;
    return frame(type, 0, streamId, length);
  }

  /** A random frame that passes every check of a decoder accepting {@code maxPayload} bytes. */
  static Frame randomValidFrame(Random random, int maxPayload) {
    FrameType type = FrameType.values()[random.nextInt(FrameType.values().length)];
    int streamId;
    if (isConnectionLevel(type)) {
      streamId = 0;
    } else if (isStreamLevel(type)) {
      streamId = 1 + random.nextInt(Integer.MAX_VALUE);
    } else {
      streamId = random.nextBoolean() ? 0 : 1 + random.nextInt(1000);
    }
    int length = fixedLength(type) >= 0 ? fixedLength(type) : random.nextInt(maxPayload + 1);
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    return Frame.of(type, random.nextInt(256), streamId, payload);
  }

  static List<Frame> randomValidFrames(Random random, int count, int maxPayload) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      frames.add(randomValidFrame(random, maxPayload));
    }
    return frames;
  }

  /** The bytes a sender writes: optionally its preface, then each frame as FrameCodec encodes it. */
  static byte[] encode(boolean withPreface, List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (withPreface) {
      out.writeBytes(Preface.bytes());
    }
    for (Frame frame : frames) {
      out.writeBytes(toArray(FrameCodec.encode(frame)));
    }
    return out.toByteArray();
  }

  /** A raw frame header, with any values, valid or not. */
  static byte[] header(long length, int typeCode, int flags, int streamId) {
    return ByteBuffer.allocate(HEADER_LENGTH)
        .putInt((int) length)
        .put((byte) typeCode)
        .put((byte) flags)
        .putInt(streamId)
        .array();
  }

  static byte[] preface(int version) {
    byte[] bytes = Preface.bytes();
    bytes[6] = (byte) (version >>> 8);
    bytes[7] = (byte) version;
    return bytes;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The remaining bytes of {@code buffer}, without consuming them. */
  static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  // ---------------------------------------------------------------- chunkings of an input

  static int[] whole(int length) {
    return new int[] {length};
  }

  static int[] oneBytePerCall(int length) {
    int[] sizes = new int[length];
    Arrays.fill(sizes, 1);
    return sizes;
  }

  /** Two calls, split before byte {@code point}; either part may be empty. */
  static int[] splitAt(int length, int point) {
    return new int[] {point, length - point};
  }

  /** Random chunk sizes from 1 to {@code maxChunk} that add up to {@code length}. */
  static int[] randomChunks(Random random, int length, int maxChunk) {
    List<Integer> sizes = new ArrayList<>();
    for (int left = length; left > 0; ) {
      int size = Math.min(left, 1 + random.nextInt(maxChunk));
      sizes.add(size);
      left -= size;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------- feeding a decoder

  /**
   * Feeds {@code input} to {@code decoder}, one decode call per chunk, adding each frame to
   * {@code out} as it is emitted. Each chunk is a window in the middle of the input's array, so
   * buffer positions are never zero by accident; each call must consume its whole chunk.
   */
  static void feed(FrameDecoder decoder, byte[] input, int[] chunkSizes, List<Decoded> out)
      throws ProtocolException {
    int offset = 0;
    for (int size : chunkSizes) {
      ByteBuffer chunk = ByteBuffer.wrap(input, offset, size);
      decoder.decode(chunk, frame -> out.add(Decoded.of(frame)));
      assertFalse(chunk.hasRemaining(), () -> "decode left " + chunk.remaining() + " bytes");
      offset += size;
    }
  }

  static List<Decoded> decode(FrameDecoder decoder, byte[] input, int[] chunkSizes)
      throws ProtocolException {
    List<Decoded> frames = new ArrayList<>();
    feed(decoder, input, chunkSizes, frames);
    return frames;
  }

  // ---------------------------------------------------------------- model of an encoded stream

  /** Where the preface and each frame of an encoded stream begin and end. */
  static final class Layout {
    private final int prefaceLength;
    private final List<Frame> frames;
    private final int[] frameStarts;

    Layout(boolean withPreface, List<Frame> frames) {
      this.prefaceLength = withPreface ? Preface.LENGTH : 0;
      this.frames = List.copyOf(frames);
      this.frameStarts = new int[frames.size() + 1];
      frameStarts[0] = prefaceLength;
      for (int i = 0; i < frames.size(); i++) {
        frameStarts[i + 1] = frameStarts[i] + HEADER_LENGTH + frames.get(i).payloadLength();
      }
    }

    int length() {
      return frameStarts[frames.size()];
    }

    /** How many frames are complete once the first {@code offset} bytes have arrived. */
    int framesCompleteAt(int offset) {
      int count = 0;
      while (count < frames.size() && frameStarts[count + 1] <= offset) {
        count++;
      }
      return count;
    }

    /** Whether {@code offset} lies after the preface and between two frames. */
    boolean isBoundary(int offset) {
      return offset >= prefaceLength && frameStarts[framesCompleteAt(offset)] == offset;
    }

    /** What FrameDecoder.describePartialInput() should say after {@code offset} bytes. */
    String partialInputAt(int offset) {
      if (offset < prefaceLength) {
        return offset + " of " + Preface.LENGTH + " preface bytes";
      }
      int index = framesCompleteAt(offset);
      int inFrame = offset - frameStarts[index];
      if (inFrame < HEADER_LENGTH) {
        return inFrame + " of " + HEADER_LENGTH + " frame header bytes";
      }
      Frame frame = frames.get(index);
      return "a " + frame.type() + " frame with " + (inFrame - HEADER_LENGTH) + " of "
          + frame.payloadLength() + " payload bytes";
    }
  }
}
