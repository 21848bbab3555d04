package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import java.nio.ByteBuffer;

/**
 * Frames whose size and content follow from their sequence number, so a receiver can check
 * every byte and that none is missing, repeated or torn.
 */
final class NumberedFrames {
  static final int MAX_FRAME = 64 * 1024;
  /** How many a streaming peer sends. */
  static final int STREAM_LENGTH = 20_000;

  private NumberedFrames() {}

  static int size(int sequence) {
    int mixed = sequence * 0x9E3779B1;
    return 4 + Math.floorMod(mixed ^ (mixed >>> 15), 6_000);
  }

  static Frame frame(int sequence) {
    ByteBuffer payload = ByteBuffer.allocate(size(sequence));
    payload.putInt(sequence);
    while (payload.hasRemaining()) {
      payload.put((byte) (sequence * 31 + payload.position()));
    }
    return Frame.of(FrameType.DATA, 0, 1, payload.flip());
  }

  static void check(Frame frame, int expected) {
    ByteBuffer payload = frame.payload().duplicate();
    assertEquals(expected, payload.getInt(), "sequence");
    assertEquals(size(expected), frame.payloadLength(), "size of frame " + expected);
    while (payload.hasRemaining()) {
      int at = payload.position();
      if (payload.get() != (byte) (expected * 31 + at)) {
        throw new AssertionError("frame " + expected + " differs at byte " + at);
      }
    }
  }
}
