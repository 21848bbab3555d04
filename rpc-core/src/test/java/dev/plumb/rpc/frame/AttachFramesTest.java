package dev.plumb.rpc.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttachFramesTest {
  @Test
  void anAttachReadsBackAsWritten() throws Exception {
    byte[] first = token(1);
    byte[] second = token(2);
    Frame frame = AttachFrames.attach(7, 3, List.of(
        new AttachFrames.Entry(first, 64L << 30, AttachFrames.MODE_DESCRIPTOR),
        new AttachFrames.Entry(second, 0, AttachFrames.MODE_INLINE)));
    assertEquals(FrameType.ATTACH, frame.type());
    assertEquals(7, frame.streamId());
    assertEquals(5 + 2 * 25, frame.payloadLength());

    AttachFrames.Attach attach = AttachFrames.parse(frame);
    assertEquals(3, attach.messageIndex());
    assertEquals(1, attach.descriptors());
    assertArrayEquals(first, attach.entries().get(0).token());
    assertEquals(64L << 30, attach.entries().get(0).length());
    assertFalse(attach.entries().get(0).inline());
    assertArrayEquals(second, attach.entries().get(1).token());
    assertTrue(attach.entries().get(1).inline());
  }

  @Test
  void theLayoutIsTheProtocols() throws Exception {
    Frame frame = AttachFrames.attach(1, 0x01020304, List.of(
        new AttachFrames.Entry(token(9), 0x0A0B, AttachFrames.MODE_INLINE)));
    ByteBuffer payload = frame.payload().duplicate();
    assertEquals(0x01020304, payload.getInt());
    assertEquals(1, payload.get());
    byte[] token = new byte[16];
    payload.get(token);
    assertArrayEquals(token(9), token);
    assertEquals(0x0A0B, payload.getLong());
    assertEquals(1, payload.get());
    assertFalse(payload.hasRemaining());
  }

  @Test
  void anAttachNamesOneTo255Attachments() {
    assertThrows(IllegalArgumentException.class, () -> AttachFrames.attach(1, 0, List.of()));
    List<AttachFrames.Entry> tooMany = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      tooMany.add(new AttachFrames.Entry(token(i), 1, AttachFrames.MODE_INLINE));
    }
    assertThrows(IllegalArgumentException.class, () -> AttachFrames.attach(1, 0, tooMany));
  }

  @Test
  void malformedAttachesAreRefusedWithTheReason() {
    assertMalformed(new byte[4], "ATTACH of 4 bytes, shorter than its 5-byte header");
    assertMalformed(ByteBuffer.allocate(5).putInt(0).put((byte) 0).array(),
        "ATTACH of 0 attachments with 0 bytes of entries, must be 25 bytes each and at least one");
    assertMalformed(ByteBuffer.allocate(5 + 24).putInt(0).put((byte) 1).array(),
        "ATTACH of 1 attachments with 24 bytes of entries, must be 25 bytes each and at least"
            + " one");
    assertMalformed(entry(-1, 0, 1), "ATTACH for message index above 2^31-1");
    assertMalformed(entry(0, -1, 1), "ATTACH length above 2^63-1");
    assertMalformed(entry(0, 1, 2), "ATTACH mode 2 is neither 0 nor 1");
  }

  private static byte[] entry(int messageIndex, long length, int mode) {
    return ByteBuffer.allocate(5 + 25).putInt(messageIndex).put((byte) 1).put(token(0))
        .putLong(length).put((byte) mode).array();
  }

  private static void assertMalformed(byte[] payload, String description) {
    ProtocolException error = assertThrows(ProtocolException.class,
        () -> AttachFrames.parse(Frame.of(FrameType.ATTACH, 0, 1, payload)));
    assertEquals(Status.Code.INTERNAL, error.status().getCode());
    assertEquals(description, error.status().getDescription());
  }

  private static byte[] token(int seed) {
    byte[] token = new byte[16];
    for (int i = 0; i < token.length; i++) {
      token[i] = (byte) (seed + i);
    }
    return token;
  }
}
