package dev.plumb.rpc.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Frame} and {@link FrameType}. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameTest {
  private static final byte[] BYTES = {10, 11, 12, 13, 14, 15};

  /** A payload buffer whose remaining bytes are 12, 13, 14 (position 2, limit 5). */
  private static ByteBuffer window() {
    return ByteBuffer.wrap(BYTES.clone()).position(2).limit(5);
  }

  // ---------------------------------------------------------------- Frame

  @Test
  void accessors() {
    ByteBuffer payload = window();
    Frame frame = Frame.of(FrameType.DATA, 0x5, 42, payload);
    assertEquals(FrameType.DATA, frame.type());
    assertEquals(0x5, frame.flags());
    assertEquals(42, frame.streamId());
    assertSame(payload, frame.payload());
    assertEquals(3, frame.payloadLength());
  }

  @Test
  void payloadBytesCopiesTheRemainingBytesWithoutConsumingThem() {
    Frame frame = Frame.of(FrameType.DATA, 0, 1, window());
    byte[] copy = frame.payloadBytes();
    assertArrayEquals(new byte[] {12, 13, 14}, copy);
    assertEquals(2, frame.payload().position());
    assertEquals(5, frame.payload().limit());
    assertArrayEquals(copy, frame.payloadBytes(), "a second call sees the same bytes");
  }

  @Test
  void payloadBytesIsACopy() {
    Frame frame = Frame.of(FrameType.DATA, 0, 1, BYTES.clone());
    byte[] copy = frame.payloadBytes();
    assertNotSame(frame.payload().array(), copy);
    copy[0] = 99;
    assertEquals(10, frame.payload().get(0));
    assertArrayEquals(BYTES, frame.payloadBytes());
  }

  @Test
  void payloadBytesOfAReadOnlyDirectBuffer() {
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4}).flip();
    Frame frame = Frame.of(FrameType.DATA, 0, 1, direct.asReadOnlyBuffer());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, frame.payloadBytes());
    assertEquals(4, frame.payloadLength());
  }

  @Test
  void byteArrayPayloadIsTheWholeArray() {
    Frame frame = Frame.of(FrameType.HEADERS, 0, 3, BYTES.clone());
    assertEquals(BYTES.length, frame.payloadLength());
    assertArrayEquals(BYTES, frame.payloadBytes());
  }

  @Test
  void nullPayloadIsEmptyAndNotShared() {
    Frame first = Frame.of(FrameType.GO_AWAY, 0, 0, (ByteBuffer) null);
    Frame second = Frame.of(FrameType.GO_AWAY, 0, 0, (ByteBuffer) null);
    assertEquals(0, first.payloadLength());
    assertArrayEquals(new byte[0], first.payloadBytes());
    assertNotSame(first.payload(), second.payload(), "a shared buffer would share its position");
  }

  @Test
  void typeIsRequired() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Frame.of(null, 0, 1, new byte[0]));
    assertEquals("type", e.getMessage());
  }

  @ParameterizedTest(name = "flags 0x{0} has 0x{1}: {2}")
  @CsvSource({
      "00, 01, false",
      "01, 01, true",
      "01, 02, false",
      "03, 02, true",
      "fe, 01, false",
      "ff, 80, true",
      "80, 80, true",
      "ff, 00, false"})
  void hasFlag(String flags, String flag, boolean expected) {
    Frame frame = Frame.of(FrameType.DATA, Integer.parseInt(flags, 16), 1, new byte[0]);
    assertEquals(expected, frame.hasFlag(Integer.parseInt(flag, 16)));
  }

  @Test
  void endStreamAndAckShareTheFirstBit() {
    assertEquals(0x1, Frame.FLAG_END_STREAM);
    assertEquals(0x1, Frame.FLAG_ACK);
    assertTrue(Frame.of(FrameType.PING, Frame.FLAG_ACK, 0, new byte[8]).hasFlag(Frame.FLAG_ACK));
    assertFalse(Frame.of(FrameType.PING, 0, 0, new byte[8]).hasFlag(Frame.FLAG_ACK));
  }

  @Test
  void toStringNamesTypeStreamFlagsAndLength() {
    Frame frame = Frame.of(FrameType.DATA, 0x81, 7, window());
    assertEquals("DATA{stream=7, flags=0x81, length=3}", frame.toString());
  }

  // ---------------------------------------------------------------- FrameType

  @Test
  void codesAreTheWireProtocols() {
    FrameType[] inCodeOrder = {FrameType.HELLO, FrameType.HEADERS, FrameType.DATA,
        FrameType.TRAILERS, FrameType.RESET, FrameType.WINDOW_UPDATE, FrameType.PING,
        FrameType.GO_AWAY, FrameType.ATTACH, FrameType.ATTACH_DATA};
    for (int i = 0; i < inCodeOrder.length; i++) {
      assertEquals(i + 1, inCodeOrder[i].code(), inCodeOrder[i].name());
    }
    assertEquals(inCodeOrder.length, FrameType.values().length, "a type without a pinned code");
  }

  @ParameterizedTest
  @EnumSource(FrameType.class)
  void forCodeFindsEveryType(FrameType type) {
    assertSame(type, FrameType.forCode(type.code()));
  }

  @Test
  void forCodeOfEveryOtherByteIsNull() {
    Set<Integer> known = new HashSet<>();
    Arrays.stream(FrameType.values()).forEach(type -> known.add(type.code()));
    for (int code = 0; code < 256; code++) {
      if (!known.contains(code)) {
        assertNull(FrameType.forCode(code), "code " + code);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -255, -1, 256, 257, 0x1_01, Integer.MAX_VALUE})
  void forCodeOutsideAByteIsNull(int code) {
    assertNull(FrameType.forCode(code));
  }
}
