package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameTestSupport.preface;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Preface}: its eight bytes, the check of the peer's, and the quoting of bad input. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrefaceTest {
  private static final byte[] EXPECTED = {'P', 'L', 'U', 'M', 'B', '\n', 0x00, 0x01};

  @Test
  void bytesAreMagicThenBigEndianVersion() {
    assertEquals(8, Preface.LENGTH);
    assertEquals(1, Preface.VERSION);
    assertArrayEquals(EXPECTED, Preface.bytes());
  }

  @Test
  void bytesReturnsAFreshArrayEachTime() {
    byte[] first = Preface.bytes();
    first[0] = 'X';
    assertNotSame(first, Preface.bytes());
    assertArrayEquals(EXPECTED, Preface.bytes());
  }

  @Test
  void writePutsTheEightBytesAtThePosition() {
    ByteBuffer dst = ByteBuffer.allocate(12).put((byte) 0xAA).put((byte) 0xBB);
    Preface.write(dst);
    assertEquals(10, dst.position());
    byte[] written = new byte[8];
    dst.position(2).get(written);
    assertArrayEquals(EXPECTED, written);
  }

  @Test
  void writeNeedsEightBytes() {
    assertThrows(BufferOverflowException.class, () -> Preface.write(ByteBuffer.allocate(7)));
  }

  // ---------------------------------------------------------------- check

  @Test
  void checkAcceptsThisSidesPreface() {
    assertDoesNotThrow(() -> Preface.check(Preface.bytes()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void checkRejectsAWrongByteAnywhereInTheMagic(int index) {
    byte[] received = Preface.bytes();
    received[index] ^= 0x20;
    ProtocolException e = assertThrows(ProtocolException.class, () -> Preface.check(received));
    assertEquals(Status.Code.UNAVAILABLE, e.status().getCode());
    assertEquals("peer is not a Plumb endpoint: it sent " + Preface.quote(received)
        + " instead of the preface", e.status().getDescription());
  }

  @Test
  void checkSaysWhenThePeerStartsATlsHandshake() {
    // A TLS 1.2/1.3 ClientHello's record header: handshake (22), version 3.1, a length.
    byte[] clientHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};
    ProtocolException e = assertThrows(ProtocolException.class, () -> Preface.check(clientHello));
    assertEquals(Status.Code.UNAVAILABLE, e.status().getCode());
    assertEquals("peer is not a Plumb endpoint: it sent " + Preface.quote(clientHello)
        + " instead of the preface (the start of a TLS handshake: the peer uses TLS, and this"
        + " side does not)", e.status().getDescription());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 0x0100, 0x0101, 0x8000, 0xFFFF})
  void checkRejectsAnotherVersionAndNamesBoth(int version) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> Preface.check(preface(version)));
    assertEquals(Status.Code.UNAVAILABLE, e.status().getCode());
    assertEquals("peer speaks Plumb protocol version " + version + ", this side speaks 1",
        e.status().getDescription());
  }

  @Test
  void wrongMagicIsReportedBeforeWrongVersion() {
    byte[] received = preface(7);
    received[0] = 'G';
    ProtocolException e = assertThrows(ProtocolException.class, () -> Preface.check(received));
    assertTrue(e.getMessage().contains("not a Plumb endpoint"), e.getMessage());
  }

  // ---------------------------------------------------------------- quote

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "''                  | '\"\"'",
      "'GET / HTTP/1.1'    | '\"GET / HTTP/1.1\"'",
      "'a\"b'              | '\"a\\x22b\"'",
      "'a\\b'              | '\"a\\x5cb\"'",
      "' ~'                | '\" ~\"'"})
  void quoteKeepsPrintableTextAndEscapesQuoteAndBackslash(String text, String quoted) {
    assertEquals(quoted, Preface.quote(text.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void quoteEscapesControlAndNonAsciiBytes() {
    byte[] bytes = {'P', '\n', '\r', '\t', 0x00, 0x1f, 0x7f, (byte) 0x80, (byte) 0xff};
    assertEquals("\"P\\n\\x0d\\x09\\x00\\x1f\\x7f\\x80\\xff\"", Preface.quote(bytes));
  }

  /** Every byte value, against an independent statement of the rule. */
  @Test
  void quoteRendersEveryByteValue() {
    for (int c = 0; c < 256; c++) {
      String expected;
      if (c == '\n') {
        expected = "\\n";
      } else if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
        expected = String.valueOf((char) c);
      } else {
        expected = String.format("\\x%02x", c);
      }
      assertEquals('"' + expected + '"', Preface.quote(new byte[] {(byte) c}), "byte " + c);
    }
  }

  /** Whatever a peer sends, its quote is one line of printable ASCII, safe for any log. */
  @Test
  void quoteIsAlwaysPrintableAscii() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    String quoted = Preface.quote(all);
    assertTrue(quoted.chars().allMatch(c -> c >= 0x20 && c < 0x7f), quoted);
  }
}
