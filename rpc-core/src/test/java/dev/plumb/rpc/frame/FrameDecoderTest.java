package dev.plumb.rpc.frame;

import static dev.plumb.rpc.frame.FrameCodec.HEADER_LENGTH;
import static dev.plumb.rpc.frame.FrameCodec.MAX_FRAME_SIZE_LIMIT;
import static dev.plumb.rpc.frame.FrameTestSupport.MAX_FRAME_SIZE;
import static dev.plumb.rpc.frame.FrameTestSupport.concat;
import static dev.plumb.rpc.frame.FrameTestSupport.decode;
import static dev.plumb.rpc.frame.FrameTestSupport.decodedOf;
import static dev.plumb.rpc.frame.FrameTestSupport.encode;
import static dev.plumb.rpc.frame.FrameTestSupport.feed;
import static dev.plumb.rpc.frame.FrameTestSupport.fixedLength;
import static dev.plumb.rpc.frame.FrameTestSupport.frame;
import static dev.plumb.rpc.frame.FrameTestSupport.header;
import static dev.plumb.rpc.frame.FrameTestSupport.oneBytePerCall;
import static dev.plumb.rpc.frame.FrameTestSupport.preface;
import static dev.plumb.rpc.frame.FrameTestSupport.randomChunks;
import static dev.plumb.rpc.frame.FrameTestSupport.splitAt;
import static dev.plumb.rpc.frame.FrameTestSupport.validFrame;
import static dev.plumb.rpc.frame.FrameTestSupport.whole;
import static dev.plumb.rpc.frame.FrameType.DATA;
import static dev.plumb.rpc.frame.FrameType.GO_AWAY;
import static dev.plumb.rpc.frame.FrameType.HEADERS;
import static dev.plumb.rpc.frame.FrameType.HELLO;
import static dev.plumb.rpc.frame.FrameType.PING;
import static dev.plumb.rpc.frame.FrameType.RESET;
import static dev.plumb.rpc.frame.FrameType.TRAILERS;
import static dev.plumb.rpc.frame.FrameType.WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.rpc.frame.FrameTestSupport.Decoded;
import dev.plumb.rpc.frame.FrameTestSupport.Layout;
import io.grpc.Status;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FrameDecoder}, in the manner of Netty's codec tests: one byte stream fed whole, one
 * byte at a time, split at every point and in random chunks must decode to the same frames;
 * every malformed header is rejected as soon as the header is complete; the decoder consumes
 * all it is given and, once failed, stays failed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderTest {

  /** Every type, zero-length payloads, the largest stream id, all flags, a maximal payload. */
  private static final List<Frame> SAMPLE = List.of(
      frame(HELLO, 0, 0, 37),
      frame(HEADERS, 0, 1, 120),
      frame(DATA, 0, 1, 0),
      frame(DATA, Frame.FLAG_END_STREAM, 1, 1000),
      frame(WINDOW_UPDATE, 0, 0, 4),
      frame(WINDOW_UPDATE, 0, 3, 4),
      frame(PING, 0, 0, 8),
      frame(PING, Frame.FLAG_ACK, 0, 8),
      frame(HEADERS, 0, 3, 0),
      frame(DATA, 0xff, Integer.MAX_VALUE, MAX_FRAME_SIZE),
      frame(TRAILERS, 0, 1, 50),
      frame(RESET, 0, 3, 2),
      frame(DATA, 0, 5, 1),
      frame(GO_AWAY, 0, 0, 0));

  private static final List<Decoded> SAMPLE_DECODED = decodedOf(SAMPLE);

  private static FrameDecoder newDecoder(boolean expectPreface) {
    return new FrameDecoder(MAX_FRAME_SIZE, expectPreface);
  }

  private static byte[] sampleStream(boolean withPreface) {
    return encode(withPreface, SAMPLE);
  }

  private static List<Decoded> decodeSample(boolean withPreface, int[] chunkSizes)
      throws ProtocolException {
    FrameDecoder decoder = newDecoder(withPreface);
    List<Decoded> frames = decode(decoder, sampleStream(withPreface), chunkSizes);
    assertTrue(decoder.isAtFrameBoundary(), "the stream ends after its last frame");
    return frames;
  }

  // ================================================================ round trips and chunkings

  @ParameterizedTest
  @EnumSource(FrameType.class)
  void everyFrameTypeRoundTrips(FrameType type) throws ProtocolException {
    List<Frame> frames = IntStream.of(0, 1, 2, 100, MAX_FRAME_SIZE - 1, MAX_FRAME_SIZE)
        .mapToObj(length -> validFrame(type, length))
        .toList();
    for (boolean withPreface : new boolean[] {true, false}) {
      byte[] bytes = encode(withPreface, frames);
      assertEquals(decodedOf(frames),
          decode(newDecoder(withPreface), bytes, whole(bytes.length)),
          "withPreface=" + withPreface);
    }
  }

  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void streamFedWhole(boolean withPreface) throws ProtocolException {
    assertEquals(SAMPLE_DECODED,
        decodeSample(withPreface, whole(sampleStream(withPreface).length)));
  }

  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void streamFedOneBytePerCall(boolean withPreface) throws ProtocolException {
    assertEquals(SAMPLE_DECODED,
        decodeSample(withPreface, oneBytePerCall(sampleStream(withPreface).length)));
  }

  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void streamSplitAtEveryPoint(boolean withPreface) throws ProtocolException {
    int length = sampleStream(withPreface).length;
    for (int point = 0; point <= length; point++) {
      assertEquals(SAMPLE_DECODED, decodeSample(withPreface, splitAt(length, point)),
          "split at " + point);
    }
  }

  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void streamInRandomChunks(boolean withPreface) throws ProtocolException {
    int length = sampleStream(withPreface).length;
    Random random = new Random(0x5EED_C0DECL);
    for (int round = 0; round < 500; round++) {
      int maxChunk = new int[] {2, 3, 11, 64, 700, length}[round % 6];
      int[] chunks = randomChunks(random, length, maxChunk);
      assertEquals(SAMPLE_DECODED, decodeSample(withPreface, chunks),
          () -> "chunks " + Arrays.toString(chunks));
    }
  }

  /** The decoder's observable state after each byte, against a model of the stream's layout. */
  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void stateAfterEveryByteMatchesTheLayout(boolean withPreface) throws ProtocolException {
    byte[] bytes = sampleStream(withPreface);
    Layout layout = new Layout(withPreface, SAMPLE);
    FrameDecoder decoder = newDecoder(withPreface);
    List<Decoded> frames = new ArrayList<>();
    for (int offset = 0; ; offset++) {
      int at = offset;
      assertAll("after " + at + " bytes",
          () -> assertEquals(layout.framesCompleteAt(at), frames.size(), "frames emitted"),
          () -> assertEquals(layout.isBoundary(at), decoder.isAtFrameBoundary(), "boundary"),
          () -> assertEquals(layout.partialInputAt(at), decoder.describePartialInput()));
      if (offset == bytes.length) {
        break;
      }
      feed(decoder, Arrays.copyOfRange(bytes, offset, offset + 1), whole(1), frames);
    }
    assertEquals(SAMPLE_DECODED, frames);
  }

  @Test
  void describesTruncatedInput() throws ProtocolException {
    FrameDecoder decoder = newDecoder(true);
    assertEquals("0 of 8 preface bytes", decoder.describePartialInput());
    decode(decoder, Arrays.copyOf(Preface.bytes(), 5), whole(5));
    assertEquals("5 of 8 preface bytes", decoder.describePartialInput());

    decode(decoder, concat(Arrays.copyOfRange(Preface.bytes(), 5, 8), new byte[3]), whole(6));
    assertEquals("3 of 10 frame header bytes", decoder.describePartialInput());

    byte[] rest = concat(Arrays.copyOfRange(header(100, DATA.code(), 0, 1), 3, 10), new byte[40]);
    decode(decoder, rest, whole(rest.length));
    assertEquals("a DATA frame with 40 of 100 payload bytes", decoder.describePartialInput());
    assertFalse(decoder.isAtFrameBoundary());
  }

  @Test
  void freshDecoderIsAtABoundaryOnlyWithoutPreface() {
    assertFalse(newDecoder(true).isAtFrameBoundary(), "the preface is still to come");
    assertTrue(newDecoder(false).isAtFrameBoundary());
  }

  @ParameterizedTest(name = "withPreface={0}")
  @ValueSource(booleans = {true, false})
  void emptyInputIsANoOp(boolean withPreface) throws ProtocolException {
    FrameDecoder decoder = newDecoder(withPreface);
    String before = decoder.describePartialInput();
    assertEquals(List.of(), decode(decoder, new byte[0], whole(0)));
    assertEquals(before, decoder.describePartialInput());
  }

  /** The emitted payload is the decoder's own copy: the reader may reuse its read buffer. */
  @Test
  void emittedPayloadDoesNotShareTheInput() throws ProtocolException {
    Frame sent = frame(DATA, 0, 1, 300);
    byte[] bytes = encode(false, List.of(sent));
    List<Frame> received = new ArrayList<>();
    newDecoder(false).decode(ByteBuffer.wrap(bytes), received::add);
    Arrays.fill(bytes, (byte) 0x55);

    Frame frame = received.get(0);
    assertEquals(0, frame.payload().position());
    assertEquals(300, frame.payloadLength());
    assertArrayEquals(sent.payloadBytes(), frame.payloadBytes());
  }

  /** DATA payloads of a KiB and more borrow from the pool; others, and smaller ones, do not. */
  @Test
  void largeDataPayloadsBorrowTheirArrayFromThePool() throws ProtocolException {
    List<Frame> sent = List.of(frame(DATA, 0, 1, PayloadPool.SMALLEST),
        frame(DATA, 0, 1, PayloadPool.SMALLEST - 1), frame(HEADERS, 0, 1, PayloadPool.SMALLEST));
    List<Frame> received = new ArrayList<>();
    new FrameDecoder(2 * PayloadPool.SMALLEST, false)
        .decode(ByteBuffer.wrap(encode(false, sent)), received::add);

    assertNotNull(received.get(0).pooledBytes());
    assertNull(received.get(1).pooledBytes());
    assertNull(received.get(2).pooledBytes());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i).payloadBytes(), received.get(i).payloadBytes());
    }
    received.get(0).release();
  }

  enum InputKind {
    HEAP(ByteBuffer::wrap),
    DIRECT(bytes -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()),
    READ_ONLY(bytes -> ByteBuffer.wrap(bytes).asReadOnlyBuffer()),
    /** A slice whose array offset is not zero, with bytes after its limit that are not input. */
    SLICE(bytes -> {
      byte[] padded = concat(new byte[7], bytes, new byte[] {(byte) 0xEE, (byte) 0xEE});
      return ByteBuffer.wrap(padded, 7, bytes.length).slice();
    });

    private final Function<byte[], ByteBuffer> wrap;

    InputKind(Function<byte[], ByteBuffer> wrap) {
      this.wrap = wrap;
    }
  }

  @ParameterizedTest
  @EnumSource(InputKind.class)
  void decodesEveryKindOfBuffer(InputKind kind) throws ProtocolException {
    byte[] bytes = sampleStream(true);
    FrameDecoder decoder = newDecoder(true);
    List<Decoded> frames = new ArrayList<>();
    for (int offset = 0; offset < bytes.length; offset += 97) {
      ByteBuffer chunk = kind.wrap.apply(
          Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + 97)));
      decoder.decode(chunk, frame -> frames.add(Decoded.of(frame)));
      assertFalse(chunk.hasRemaining());
    }
    assertEquals(SAMPLE_DECODED, frames);
  }

  // ================================================================ constructor

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, MAX_FRAME_SIZE_LIMIT + 1, Integer.MAX_VALUE})
  void rejectsMaxFrameSizeOutOfRange(int maxFrameSize) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FrameDecoder(maxFrameSize, true));
    assertTrue(e.getMessage().contains(String.valueOf(maxFrameSize)), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, MAX_FRAME_SIZE_LIMIT})
  void acceptsMaxFrameSizeInRange(int maxFrameSize) {
    assertDoesNotThrow(() -> new FrameDecoder(maxFrameSize, true));
  }

  // ================================================================ protocol errors

  /**
   * Feeds {@code input} to a fresh decoder, whole, and to another one byte per call, and checks
   * that both fail with the same {@code code} and description, the byte-wise one exactly when
   * byte number {@code failsAtByte} arrives; that no frame was emitted; and that the
   * description names each of {@code mentions}.
   */
  private static ProtocolException assertRejected(int maxFrameSize, byte[] input, int failsAtByte,
      Status.Code code, String... mentions) {
    ProtocolException whole = assertThrows(ProtocolException.class,
        () -> decodeExpectingNoFrame(new FrameDecoder(maxFrameSize, true), ByteBuffer.wrap(input)));

    FrameDecoder bytewise = new FrameDecoder(maxFrameSize, true);
    for (int i = 0; i < failsAtByte - 1; i++) {
      int at = i;
      assertDoesNotThrow(() -> decodeExpectingNoFrame(bytewise, ByteBuffer.wrap(input, at, 1)),
          "byte " + (at + 1) + " of " + failsAtByte);
    }
    ProtocolException last = assertThrows(ProtocolException.class,
        () -> decodeExpectingNoFrame(bytewise, ByteBuffer.wrap(input, failsAtByte - 1, 1)),
        "must fail when byte " + failsAtByte + " arrives");

    String description = whole.status().getDescription();
    List<Executable> checks = new ArrayList<>(List.of(
        () -> assertEquals(code, whole.status().getCode(), description),
        () -> assertEquals(description, last.status().getDescription()),
        () -> assertEquals(description, whole.getMessage())));
    for (String mention : mentions) {
      checks.add(() -> assertTrue(description.contains(mention),
          '"' + description + "\" should name " + mention));
    }
    assertAll(checks.stream());
    return whole;
  }

  /** A frame header after a valid preface, rejected when the header's last byte arrives. */
  private static void assertHeaderRejected(int maxFrameSize, byte[] header, String... mentions) {
    byte[] input = concat(Preface.bytes(), header);
    assertRejected(maxFrameSize, input, input.length, Status.Code.INTERNAL, mentions);
  }

  private static void assertHeaderRejected(byte[] header, String... mentions) {
    assertHeaderRejected(MAX_FRAME_SIZE, header, mentions);
  }

  private static FrameDecoder.FrameSink unexpected() {
    return frame -> fail("no frame expected, got " + frame);
  }

  /**
   * Decodes input that must yield no frame. An OutOfMemoryError, the mark of a payload
   * allocated before its length was checked, becomes an ordinary failure: JUnit would rethrow
   * it from assertThrows and abort the whole run.
   */
  private static void decodeExpectingNoFrame(FrameDecoder decoder, ByteBuffer in)
      throws ProtocolException {
    try {
      decoder.decode(in, unexpected());
    } catch (OutOfMemoryError e) {
      throw new AssertionError("allocated a payload before rejecting its header: " + e, e);
    }
  }

  private static final byte[] HTTP_RESPONSE =
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void wrongMagicIsUnavailableAndQuotesWhatThePeerSent() {
    assertRejected(MAX_FRAME_SIZE, HTTP_RESPONSE, Preface.LENGTH, Status.Code.UNAVAILABLE,
        "not a Plumb endpoint", "\"HTTP/1.1");
  }

  @Test
  void wrongMagicEscapesBinaryBytes() {
    byte[] tlsClientHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc};
    assertRejected(MAX_FRAME_SIZE, tlsClientHello, Preface.LENGTH, Status.Code.UNAVAILABLE,
        "\"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01");
  }

  @Test
  void wrongMagicQuotesExactlyTheEightBytesSeen() {
    assertRejected(MAX_FRAME_SIZE, HTTP_RESPONSE, Preface.LENGTH, Status.Code.UNAVAILABLE,
        "it sent \"HTTP/1.1\" instead");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 0x0100, 0x8001, 0xFFFF})
  void wrongVersionIsUnavailableAndNamesBothVersions(int version) {
    assertRejected(MAX_FRAME_SIZE, concat(preface(version), header(0, GO_AWAY.code(), 0, 0)),
        Preface.LENGTH, Status.Code.UNAVAILABLE,
        "version " + version + ",", "this side speaks " + Preface.VERSION);
  }

  @ParameterizedTest(name = "maxFrameSize={0}, length={1}")
  @CsvSource({
      "1024, 1025",
      "1024, 2147483647",
      "16777216, 16777217",
      "16777216, 2147483647",
      "16777216, 2147483648",
      "16777216, 4294967295"})
  void lengthOverMaxFrameSizeFailsBeforeThePayload(int maxFrameSize, long length) {
    for (FrameType type : List.of(HELLO, DATA)) {
      assertHeaderRejected(maxFrameSize, header(length, type.code(), 0, type == DATA ? 1 : 0),
          type.name(), Long.toString(length), "maximum frame size of " + maxFrameSize);
    }
  }

  /**
   * Stronger than failing at the header: the failing call allocates nothing like the claimed
   * length. The probe is calibrated first on a legitimate 16 MiB header, which must allocate.
   */
  @Test
  void oversizedHeaderAllocatesNoPayload() throws ProtocolException {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    long thread = Thread.currentThread().getId();

    FrameDecoder accepting = new FrameDecoder(MAX_FRAME_SIZE_LIMIT, false);
    ByteBuffer legitimate = ByteBuffer.wrap(header(MAX_FRAME_SIZE_LIMIT, DATA.code(), 0, 1));
    long before = threads.getThreadAllocatedBytes(thread);
    accepting.decode(legitimate, unexpected());
    long calibration = threads.getThreadAllocatedBytes(thread) - before;
    assumeTrue(calibration >= MAX_FRAME_SIZE_LIMIT, "allocation probe sees " + calibration);

    FrameDecoder rejecting = new FrameDecoder(MAX_FRAME_SIZE_LIMIT, false);
    ByteBuffer oversized = ByteBuffer.wrap(header(0x7FFF_FFFFL, DATA.code(), 0, 1));
    before = threads.getThreadAllocatedBytes(thread);
    assertThrows(ProtocolException.class, () -> decodeExpectingNoFrame(rejecting, oversized));
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 1 << 20, "rejecting the header allocated " + allocated + " bytes");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x0b, 0x10, 0x7f, 0x80, 0xff})
  void unknownTypeCode(int code) {
    assertHeaderRejected(header(0, code, 0, 1), String.format("unknown frame type 0x%02x", code));
  }

  static Stream<Arguments> reservedStreamIdBit() {
    return Stream.of(
        Arguments.of(HELLO, 0x8000_0000),
        Arguments.of(DATA, 0x8000_0001),
        Arguments.of(WINDOW_UPDATE, 0xFFFF_FFFF),
        Arguments.of(PING, 0x8000_0000));
  }

  @ParameterizedTest
  @MethodSource
  void reservedStreamIdBit(FrameType type, int streamId) {
    int length = Math.max(0, fixedLength(type));
    assertHeaderRejected(header(length, type.code(), 0, streamId),
        type.name(), "reserved stream id bit");
  }

  @Test
  void reservedStreamIdBitNamesTheStreamId() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> decodeExpectingNoFrame(
        newDecoder(false), ByteBuffer.wrap(header(0, DATA.code(), 0, 0x8000_0001))));
    String description = e.status().getDescription();
    assertTrue(Stream.of("2147483649", "0x80000001", "0x8000_0001", "-2147483647")
        .anyMatch(description::contains), description);
  }

  @ParameterizedTest
  @EnumSource(names = {"HELLO", "PING", "GO_AWAY"})
  void connectionFrameOnAStream(FrameType type) {
    for (int streamId : new int[] {1, 7, Integer.MAX_VALUE}) {
      int length = Math.max(0, fixedLength(type));
      assertHeaderRejected(header(length, type.code(), 0, streamId),
          type.name(), "on stream " + streamId + ",", "must be 0");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"HEADERS", "DATA", "TRAILERS", "RESET"})
  void streamFrameOnStreamZero(FrameType type) {
    assertHeaderRejected(header(5, type.code(), 0, 0), type + " frame on stream 0");
  }

  static Stream<Arguments> wrongFixedLength() {
    return Stream.of(WINDOW_UPDATE, PING).flatMap(type -> IntStream
        .of(0, 1, fixedLength(type) - 1, fixedLength(type) + 1, 2 * fixedLength(type),
            MAX_FRAME_SIZE)
        .mapToObj(length -> Arguments.of(type, length)));
  }

  @ParameterizedTest(name = "{0} of {1} bytes")
  @MethodSource
  void wrongFixedLength(FrameType type, int length) {
    assertHeaderRejected(header(length, type.code(), 0, 0),
        type + " frame of " + length + " bytes", "must be " + fixedLength(type));
  }

  @Test
  void windowUpdateIsAllowedOnEveryStream() throws ProtocolException {
    List<Frame> frames = List.of(frame(WINDOW_UPDATE, 0, 0, 4), frame(WINDOW_UPDATE, 0, 9, 4));
    byte[] bytes = encode(false, frames);
    assertEquals(decodedOf(frames), decode(newDecoder(false), bytes, whole(bytes.length)));
  }

  // ================================================================ after an error

  static Stream<Arguments> malformedInputs() {
    return Stream.of(
        Arguments.of("wrong magic", HTTP_RESPONSE),
        Arguments.of("wrong version", preface(2)),
        Arguments.of("oversized", concat(Preface.bytes(), header(0xFFFF_FFFFL, DATA.code(), 0, 1))),
        Arguments.of("unknown type", concat(Preface.bytes(), header(0, 0x42, 0, 1))),
        Arguments.of("DATA on stream 0", concat(Preface.bytes(), header(0, DATA.code(), 0, 0))),
        Arguments.of("short PING", concat(Preface.bytes(), header(7, PING.code(), 0, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedInputs")
  void staysFailedAfterAnError(String name, byte[] malformed) {
    FrameDecoder decoder = newDecoder(true);
    assertThrows(ProtocolException.class,
        () -> decodeExpectingNoFrame(decoder, ByteBuffer.wrap(malformed)));

    assertFalse(decoder.isAtFrameBoundary());
    assertEquals("nothing (decoder failed)", decoder.describePartialInput());
    byte[] valid = concat(Preface.bytes(), encode(false, List.of(frame(GO_AWAY, 0, 0, 0))));
    for (byte[] more : new byte[][] {valid, Arrays.copyOfRange(valid, 8, 18), {0}}) {
      ProtocolException again = assertThrows(ProtocolException.class,
          () -> decodeExpectingNoFrame(decoder, ByteBuffer.wrap(more)));
      assertNotNull(again.status());
      assertEquals(Status.Code.INTERNAL, again.status().getCode());
    }
  }

  /** Frames before the malformed one are delivered; nothing after it is. */
  @ParameterizedTest(name = "oneBytePerCall={0}")
  @ValueSource(booleans = {true, false})
  void framesBeforeAnErrorAreDeliveredAndNoneAfter(boolean oneBytePerCall) {
    List<Frame> good = SAMPLE.subList(0, 4);
    byte[] input = concat(encode(true, good), header(0, DATA.code(), 0, 0),
        encode(false, List.of(frame(DATA, 0, 1, 10))));
    int[] chunks = oneBytePerCall ? oneBytePerCall(input.length) : whole(input.length);

    List<Decoded> frames = new ArrayList<>();
    assertThrows(ProtocolException.class, () -> feed(newDecoder(true), input, chunks, frames));
    assertEquals(decodedOf(good), frames);
  }
}
