package dev.plumb.rpc.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameCodec}: the header layout, byte by byte, and what encoding leaves untouched. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameCodecTest {

  @Test
  void constants() {
    assertEquals(10, FrameCodec.HEADER_LENGTH);
    assertEquals(16 * 1024 * 1024, FrameCodec.MAX_FRAME_SIZE_LIMIT);
    assertEquals(4, FrameCodec.WINDOW_UPDATE_LENGTH);
    assertEquals(8, FrameCodec.PING_LENGTH);
  }

  @Test
  void headerIsBigEndianLengthTypeFlagsStreamId() {
    byte[] payload = new byte[0x0102];
    payload[0] = 0x61;
    payload[0x0101] = 0x7a;
    ByteBuffer encoded = FrameCodec.encode(Frame.of(FrameType.DATA, 0xA5, 0x0A0B0C0D, payload));

    byte[] expectedHeader = {0x00, 0x00, 0x01, 0x02, 0x03, (byte) 0xA5, 0x0A, 0x0B, 0x0C, 0x0D};
    assertEquals(0, encoded.position());
    assertEquals(10 + 0x0102, encoded.remaining());
    assertArrayEquals(expectedHeader, bytes(encoded, 0, 10));
    assertArrayEquals(payload, bytes(encoded, 10, payload.length));
  }

  @Test
  void headerOfAnEmptyFrameAtTheLargestStreamId() {
    ByteBuffer encoded = FrameCodec.encode(Frame.of(FrameType.GO_AWAY, 0xFF, 0x7FFFFFFF, new byte[0]));
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 0x08, (byte) 0xFF, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
        bytes(encoded, 0, encoded.remaining()));
  }

  @Test
  void writeHeaderWritesTenBytesAtThePosition() {
    ByteBuffer dst = ByteBuffer.allocate(13).put((byte) 0xEE);
    FrameCodec.writeHeader(Frame.of(FrameType.PING, 1, 0, new byte[8]), dst);
    assertEquals(11, dst.position());
    assertArrayEquals(new byte[] {0, 0, 0, 8, 0x07, 0x01, 0, 0, 0, 0}, bytes(dst, 1, 10));
  }

  @Test
  void encodeTakesTheRemainingPayloadAndLeavesTheFrameAsItWas() {
    ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}).position(1).limit(4);
    Frame frame = Frame.of(FrameType.HEADERS, 0, 1, payload);

    ByteBuffer encoded = FrameCodec.encode(frame);
    assertArrayEquals(new byte[] {0, 0, 0, 3}, bytes(encoded, 0, 4));
    assertArrayEquals(new byte[] {2, 3, 4}, bytes(encoded, 10, 3));
    assertEquals(1, payload.position());
    assertEquals(4, payload.limit());
    assertNotSame(payload.array(), encoded.array());
    assertArrayEquals(bytes(encoded, 0, 13), bytes(FrameCodec.encode(frame), 0, 13),
        "encoding twice gives the same bytes");
  }

  private static byte[] bytes(ByteBuffer buffer, int index, int length) {
    byte[] out = new byte[length];
    buffer.get(index, out);
    return out;
  }
}
