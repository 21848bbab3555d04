package dev.plumb.rpc.testing;

import static dev.plumb.rpc.testing.RawFrames.concat;
import static dev.plumb.rpc.testing.RawFrames.encode;
import static dev.plumb.rpc.testing.RawFrames.frame;
import static dev.plumb.rpc.testing.RawFrames.headers;
import static dev.plumb.rpc.testing.RawFrames.hello;
import static dev.plumb.rpc.testing.RawFrames.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.OutcomeResponse;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.Hello;
import dev.plumb.proto.wire.MetadataEntry;
import dev.plumb.proto.wire.Reset;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Http2Peer;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.internal.ProtocolSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad bytes at a server, over any transport ({@link BadInputTarget}): each case must end only
 * the offending connection or stream, with a GO_AWAY or RESET whose status says what was wrong,
 * while the server goes on serving a well-behaved channel; after each case the server must be
 * back within a small bound of what it held before ({@link BadInputTarget#assertRecovered}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractBadInputTest {
  /** Small, so that the limit is reached with a handful of streams. */
  protected static final int MAX_CONCURRENT_STREAMS = 4;
  /** Short, so that the silent peer's case takes half a second. */
  protected static final long HANDSHAKE_TIMEOUT_MILLIS = 500;
  /**
   * The options the target's server runs with ({@link ConformanceServerMain}); a fixed executor
   * lets its thread count show the transport's threads alone.
   */
  protected static final List<String> SERVER_OPTIONS = List.of(
      ConformanceServerMain.EXECUTOR_THREADS + 4,
      ConformanceServerMain.MAX_CONCURRENT_STREAMS + MAX_CONCURRENT_STREAMS,
      ConformanceServerMain.HANDSHAKE_TIMEOUT_MILLIS + HANDSHAKE_TIMEOUT_MILLIS);
  private static final String UNARY = ConformanceGrpc.getUnaryMethod().getFullMethodName();
  private static final String HANG = ConformanceGrpc.getHangMethod().getFullMethodName();
  private static final String CLIENT_STREAM =
      ConformanceGrpc.getClientStreamMethod().getFullMethodName();
  private static final String SERVER_STREAM =
      ConformanceGrpc.getServerStreamMethod().getFullMethodName();
  private static final EchoRequest REQUEST =
      EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("request")).build();
  private static final Hello HUGE_WINDOWS = Hello.newBuilder()
      .setInitialStreamWindow(Integer.MAX_VALUE).setInitialConnectionWindow(Integer.MAX_VALUE)
      .build();

  private static BadInputTarget target;
  private Cleanup cleanup;
  private ManagedChannel channel;

  /** Starts the server under attack, with {@code serverOptions} for its server. */
  protected abstract BadInputTarget startTarget(List<String> serverOptions) throws Exception;

  /** The target of this class, started by the first case. */
  protected static BadInputTarget target() {
    return target;
  }

  @BeforeEach
  void startServer() throws Exception {
    if (target == null) {
      target = startTarget(SERVER_OPTIONS);
    }
    // After the target: what it keeps open for the whole class is not the case's to close.
    cleanup = new Cleanup();
    channel = cleanup.add(PlumbChannelBuilder.forTarget(target.channelTarget()).build());
    // Connecting now, beside the case: a pipe: channel's child starts while the case runs.
    channel.getState(true);
  }

  @AfterEach
  void checkTheServerStillServes() throws Exception {
    // The server survived the bad peer: a well-behaved call still works ...
    assertServes(channel);
    cleanup.close();
    // ... and it holds no more than before.
    target.assertRecovered();
  }

  @AfterAll
  static void stopServer() {
    if (target != null) {
      target.close();
      target = null;
    }
  }

  private static void assertServes(ManagedChannel channel) {
    ByteString payload = ByteString.copyFromUtf8("still serving");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }

  // ---- the preface and the handshake ---------------------------------------------------------

  @Test
  void notPlumbAtAll() throws Exception {
    assumeTrue(target.hasPreface(), "no preface on this transport");
    GoAway goAway = sendAndAwaitGoAway(
        "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(Status.Code.UNAVAILABLE.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("not a Plumb endpoint"), goAway.getMessage());
    // The first eight bytes, all the server needed to see, are quoted as they came.
    assertTrue(goAway.getMessage().contains("\"GET / HT\""), goAway.getMessage());
  }

  @Test
  void anotherProtocolVersion() throws Exception {
    assumeTrue(target.hasPreface(), "no preface on this transport");
    byte[] preface = Preface.bytes();
    preface[7] = 9;
    GoAway goAway = sendAndAwaitGoAway(preface);
    assertTrue(goAway.getMessage().contains("version 9"), goAway.getMessage());
  }

  /**
   * A gRPC client over HTTP/2 (its connection preface, an empty SETTINGS frame and a call's
   * HEADERS on stream 1, as grpc-java sends them) is answered in HTTP/2 and in nothing else:
   * SETTINGS, the acknowledgement of its own, the call's end with grpc-status 14 (UNAVAILABLE)
   * and a message saying this is a Plumb endpoint, then a GOAWAY naming stream 1 the last;
   * then the server hangs up.
   */
  @Test
  void anHttp2ClientIsAnsweredInHttp2() throws Exception {
    assumeTrue(target.hasPreface(), "no preface on this transport");
    byte[] http2Client = concat(
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0},
        // HEADERS, END_HEADERS, stream 1: ":method: POST", ":scheme: http" (HPACK static table).
        new byte[] {0, 0, 2, 1, 4, 0, 0, 0, 1, (byte) 0x83, (byte) 0x86});
    byte[] answer;
    try (RawStream raw = target.openRaw()) {
      write(raw, http2Client);
      answer = readUntilClosed(raw);
    }
    ByteBuffer frames = ByteBuffer.wrap(answer);
    String all = Arrays.toString(answer);
    assertEquals(List.of(0, 4, 0, 0), http2Header(frames), "SETTINGS first: " + all);
    assertEquals(List.of(0, 4, 1, 0), http2Header(frames), "SETTINGS acknowledged: " + all);
    List<Integer> headers = http2Header(frames);
    assertEquals(List.of(1, 5, 1), headers.subList(1, 4), "HEADERS, END_STREAM|END_HEADERS, 1");
    byte[] block = new byte[headers.get(0)];
    frames.get(block);
    String fields = new String(block, StandardCharsets.US_ASCII);
    assertTrue(fields.contains("application/grpc") && fields.contains("grpc-status\u000214")
        && fields.contains(Http2Peer.NOT_HTTP2), fields);
    List<Integer> goAway = http2Header(frames);
    assertEquals(List.of(7, 0, 0), goAway.subList(1, 4), "a GOAWAY on stream 0: " + all);
    assertEquals(1, frames.getInt(), "last stream id");
    assertEquals(0, frames.getInt(), "NO_ERROR");
    byte[] debug = new byte[goAway.get(0) - 8];
    frames.get(debug);
    assertEquals(Http2Peer.NOT_HTTP2, new String(debug, StandardCharsets.UTF_8));
    assertFalse(frames.hasRemaining(), "bytes after the GOAWAY: " + all);
  }

  /** An HTTP/2 frame header: length, type, flags, stream id. */
  private static List<Integer> http2Header(ByteBuffer in) {
    int length = ((in.get() & 0xff) << 16) | ((in.get() & 0xff) << 8) | (in.get() & 0xff);
    return List.of(length, in.get() & 0xff, in.get() & 0xff, in.getInt());
  }

  /**
   * Half a preface (nothing at all where the transport has none), then silence: the handshake
   * timeout ends the connection, telling the peer why.
   */
  @Test
  void silenceBeforeTheHandshakeEndsAtTheHandshakeTimeout() throws Exception {
    byte[] half = target.hasPreface() ? Arrays.copyOf(Preface.bytes(), 4) : new byte[0];
    long start = System.nanoTime();
    GoAway goAway = sendAndAwaitGoAway(half);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(Status.Code.UNAVAILABLE.value(), goAway.getStatusCode(), goAway.toString());
    assertEquals("no HELLO from the peer within " + HANDSHAKE_TIMEOUT_MILLIS + " ms",
        goAway.getMessage());
    assertTrue(elapsed >= HANDSHAKE_TIMEOUT_MILLIS, "closed after " + elapsed + " ms");
  }

  @Test
  void dataBeforeHello() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(preface(),
        encode(Frame.of(FrameType.DATA, 0, 1, new byte[] {1, 2, 3}))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("expected HELLO"), goAway.getMessage());
  }

  /** A huge advertised window (2^31-1, the protocol's largest) is taken, and calls work. */
  @Test
  void theLargestAdvertisedWindowsAreAccepted() throws Exception {
    EchoRequest request = EchoRequest.newBuilder().setResponseCount(64).setResponseSize(1024)
        .build();
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(HUGE_WINDOWS),
          RawFrames.call(1, SERVER_STREAM, request, Headers.newBuilder())));
      List<Frame> received = readUntil(raw, frames -> has(frames, FrameType.TRAILERS, 1));
      assertEquals(Status.Code.OK, trailersStatus(received, 1));
      assertTrue(received.stream()
          .filter(f -> f.type() == FrameType.DATA && f.streamId() == 1)
          .mapToInt(Frame::payloadLength).sum() > 64 * 1024, "64 responses of 1 KiB");
      assertNoGoAway(received);
    }
  }

  @Test
  void aHelloSettingAbove2To31IsRefused() throws Exception {
    // uint32 on the wire: 2^31 reads as a negative int.
    GoAway goAway = sendAndAwaitGoAway(concat(preface(), hello(Hello.newBuilder()
        .setInitialConnectionWindow(1 << 31).build())));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("HELLO setting above 2^31-1"), goAway.getMessage());
  }

  // ---- frames --------------------------------------------------------------------------------

  @Test
  void aFrameLengthBeyondTheLimitIsRefusedBeforeItsPayload() throws Exception {
    ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_LENGTH);
    header.putInt(Integer.MAX_VALUE).put((byte) FrameType.DATA.code()).put((byte) 0).putInt(1);
    GoAway goAway = sendAndAwaitGoAway(concat(preface(), header.array()));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("exceeds the maximum frame size"), goAway.getMessage());
  }

  @Test
  void garbageInsideAHeadersFrame() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(opening(),
        encode(Frame.of(FrameType.HEADERS, 0, 1, new byte[] {(byte) 0xff, (byte) 0xff, 7}))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("malformed headers"), goAway.getMessage());
  }

  @Test
  void aPeerThatVanishesInTheMiddleOfAFrame() throws Exception {
    byte[] frame = encode(Frame.of(FrameType.PING, 0, 0, new byte[8]));
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(), Arrays.copyOf(frame, 5)));
    }
  }

  /**
   * The target's server has no attachment support on its class path, so its HELLO did not
   * offer attachments: an ATTACH is a connection error.
   */
  @Test
  void anAttachFromAPeerThatWasNotToldItMay() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(opening(), headers(1, HANG, Headers.newBuilder()),
        encode(AttachFrames.attach(1, 0, List.of(new AttachFrames.Entry(
            new byte[AttachFrames.TOKEN_LENGTH], 1, AttachFrames.MODE_INLINE))))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertEquals("ATTACH on stream 1 from a peer that was not told it may send attachments",
        goAway.getMessage());
  }

  @Test
  void aWindowUpdateThatOverflowsTheConnectionWindow() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(opening(HUGE_WINDOWS), encode(
        ControlFrames.windowUpdate(0, 1))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains(
        "WINDOW_UPDATE grows the window of the connection beyond 2^31-1"), goAway.getMessage());
  }

  @Test
  void aWindowUpdateThatOverflowsAStreamWindow() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(opening(), headers(1, HANG, Headers.newBuilder()),
        encode(ControlFrames.windowUpdate(1, Integer.MAX_VALUE))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains(
        "WINDOW_UPDATE grows the window of stream 1 beyond 2^31-1"), goAway.getMessage());
  }

  @Test
  void dataAfterEndStream() throws Exception {
    // Hang never answers, so stream 1 is still open on the server when the DATA comes.
    GoAway goAway = sendAndAwaitGoAway(concat(opening(),
        RawFrames.call(1, HANG, REQUEST, Headers.newBuilder()),
        RawFrames.message(1, 0, REQUEST)));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("DATA on stream 1 after END_STREAM"),
        goAway.getMessage());
  }

  @Test
  void anEmptyDataFlood() throws Exception {
    int flood = 9;
    GoAway goAway = sendAndAwaitGoAway(concat(opening(),
        headers(1, CLIENT_STREAM, Headers.newBuilder()),
        repeat(frame(FrameType.DATA, 0, 1, new byte[0]), flood)));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("more than 8 empty DATA frames in a row"),
        goAway.getMessage());
  }

  /**
   * A flood of 1-byte DATA frames: flow control counts bytes, not frames, so one stream's
   * window (1 MiB) admits a million of them, and gRPC keeps each buffer it is given until the
   * message is whole. The server must hold them at about their bytes (it merges small frames
   * that arrive together), not at a hundred times that, and still finish the call.
   */
  @Test
  void aFloodOfOneByteDataFramesCostsTheServerAboutItsBytes() throws Exception {
    byte[] message = RawFrames.message(1, 0, EchoRequest.newBuilder()
        .setPayload(ByteString.copyFrom(new byte[1_000_000])).build());
    // The DATA frame's payload (the gRPC message), to be sent one byte per frame.
    byte[] body = Arrays.copyOfRange(message, FrameCodec.HEADER_LENGTH, message.length);
    long heapBefore = target.sharesServerWithChannels() ? serverHeap() : 0;
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(), headers(1, CLIENT_STREAM, Headers.newBuilder())));
      int last = body.length - 1;
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      for (int i = 0; i < last; i++) {
        flood.writeBytes(frame(FrameType.DATA, 0, 1, new byte[] {body[i]}));
        if (flood.size() >= 64 * 1024) {
          write(raw, flood.toByteArray());
          flood.reset();
        }
      }
      write(raw, flood.toByteArray());
      if (target.sharesServerWithChannels()) {
        // All but the message's last byte is held for gRPC: a million 1-byte buffers would
        // take over 100 MiB (the server's heap is 256 MiB).
        long held = serverHeap() - heapBefore;
        assertTrue(held < 32 << 20, "the server holds " + (held >> 20) + " MiB for "
            + (last >> 10) + " KiB of 1-byte frames");
      }
      write(raw, frame(FrameType.DATA, Frame.FLAG_END_STREAM, 1, new byte[] {body[last]}));
      List<Frame> received = new ServerFrames(raw)
          .readUntil(frames -> has(frames, FrameType.TRAILERS, 1));
      assertEquals(Status.Code.OK, trailersStatus(received, 1));
    }
  }

  /** The used heap of the server the channel reaches, after a full collection. */
  private long serverHeap() {
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.newBuilder().setCollectGarbage(true).build())
        .getHeapUsedBytes();
  }

  // ---- streams -------------------------------------------------------------------------------

  /**
   * A stream beyond the server's limit of concurrent streams is refused on its own; the
   * connection goes on, and once a stream ends a new one is served.
   */
  @Test
  void headersOverTheConcurrentStreamLimit() throws Exception {
    ByteArrayOutputStream hangs = new ByteArrayOutputStream();
    int id = 1;
    for (int i = 0; i < MAX_CONCURRENT_STREAMS; i++, id += 2) {
      hangs.writeBytes(RawFrames.call(id, HANG, REQUEST, Headers.newBuilder()));
    }
    int refused = id;
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(), hangs.toByteArray(),
          RawFrames.call(refused, HANG, REQUEST, Headers.newBuilder())));
      ServerFrames frames = new ServerFrames(raw);
      Reset reset = resetOf(frames.readUntil(received -> has(received, FrameType.RESET, refused)),
          refused);
      assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), reset.getStatusCode());
      assertEquals("too many concurrent streams on one connection; the limit is "
          + MAX_CONCURRENT_STREAMS, reset.getMessage());
      int next = refused + 2;
      write(raw, concat(encode(ControlFrames.reset(1, Status.CANCELLED)),
          RawFrames.call(next, UNARY, REQUEST, Headers.newBuilder())));
      List<Frame> received =
          frames.readUntil(sent -> has(sent, FrameType.TRAILERS, next));
      assertEquals(Status.Code.OK, trailersStatus(received, next));
      assertNoGoAway(received);
    }
  }

  /**
   * Rapid reset: streams opened only to be reset at once, more than the server's limit
   * within its window, end the connection. The threads they cost are checked after the case.
   */
  @Test
  void rapidReset() throws Exception {
    int pairs = ProtocolSettings.DEFAULT_MAX_RESETS + 1;
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    for (int i = 0, id = 1; i < pairs; i++, id += 2) {
      flood.writeBytes(headers(id, UNARY, Headers.newBuilder()));
      flood.writeBytes(encode(ControlFrames.reset(id, Status.CANCELLED)));
    }
    GoAway goAway = sendAndAwaitGoAway(concat(opening(), flood.toByteArray()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("the client reset more than "
        + ProtocolSettings.DEFAULT_MAX_RESETS + " streams within 10 s (rapid reset)"),
        goAway.getMessage());
  }

  /**
   * Request metadata over the server's limit: the stream is refused with the sizes; the
   * connection goes on.
   */
  @Test
  void metadataOverTheLimit() throws Exception {
    int limit = ProtocolSettings.DEFAULT_MAX_METADATA_SIZE;
    Headers.Builder huge = Headers.newBuilder().addMetadata(MetadataEntry.newBuilder()
        .setKey(ByteString.copyFromUtf8("x-huge"))
        .setValue(ByteString.copyFrom(new byte[2 * limit])));
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(), RawFrames.call(1, UNARY, REQUEST, huge),
          RawFrames.call(3, UNARY, REQUEST, Headers.newBuilder())));
      List<Frame> received = readUntil(raw, frames -> has(frames, FrameType.TRAILERS, 3));
      Reset reset = resetOf(received, 1);
      assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), reset.getStatusCode());
      assertTrue(reset.getMessage().matches("request metadata of \\d+ bytes exceeds the"
          + " server's limit of " + limit + " bytes"), reset.getMessage());
      assertEquals(Status.Code.OK, trailersStatus(received, 3));
      assertNoGoAway(received);
    }
  }

  /**
   * A header gRPC cannot start a call with (a malformed {@code grpc-timeout}) ends only its
   * own stream: the client hears a RESET naming the reason, and the next call on the same
   * connection is served.
   */
  @Test
  void aMalformedGrpcTimeoutEndsOnlyItsStream() throws Exception {
    EchoRequest request =
        EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("after")).build();
    Headers.Builder badTimeout = Headers.newBuilder().addMetadata(MetadataEntry.newBuilder()
        .setKey(ByteString.copyFromUtf8("grpc-timeout"))
        .setValue(ByteString.copyFromUtf8("zz")));
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(), RawFrames.call(1, UNARY, request, badTimeout),
          RawFrames.call(3, UNARY, request, Headers.newBuilder())));
      List<Frame> received = readUntil(raw, frames -> has(frames, FrameType.TRAILERS, 3));
      Reset status = resetOf(received, 1);
      assertEquals(Status.Code.INTERNAL.value(), status.getStatusCode());
      assertTrue(status.getMessage().contains("could not start the call"), status.getMessage());
      assertNoGoAway(received);
    }
  }

  // ---- a peer that never reads ---------------------------------------------------------------

  /**
   * A peer that asks for a lot of output and never reads it costs the server no more than the
   * windows it granted: the producer is held back, and others are served meanwhile.
   */
  @Test
  void aPeerThatNeverReads() throws Exception {
    assertNeverReadingPeerIsHeldBack(Hello.getDefaultInstance(), "never-reads");
  }

  /**
   * The same with the largest windows a peer may grant: the server must still bound what it
   * buffers for the peer, and hold the producer back.
   */
  @Test
  void aPeerThatNeverReadsWithTheLargestWindows() throws Exception {
    assertNeverReadingPeerIsHeldBack(HUGE_WINDOWS, "never-reads-huge-windows");
  }

  private void assertNeverReadingPeerIsHeldBack(Hello hello, String tag) throws Exception {
    int responses = 1_000_000;
    EchoRequest request = EchoRequest.newBuilder().setTag(tag).setResponseCount(responses)
        .setResponseSize(1024).build();
    try (RawStream raw = target.openRaw()) {
      write(raw, concat(opening(hello),
          RawFrames.call(1, SERVER_STREAM, request, Headers.newBuilder())));
      if (target.sharesServerWithChannels()) {
        OutcomeResponse outcome = ConformanceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .outcome(OutcomeRequest.newBuilder().setTag(tag)
                .setUntil(OutcomeRequest.Until.PRODUCER_BLOCKED).setWaitMillis(10_000).build());
        assertTrue(outcome.getProducerBlocked(), "the producer was not held back: " + outcome);
        assertTrue(outcome.getMessagesSent() < responses, outcome.toString());
      }
      assertServes(channel);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The preface, where the transport has one. */
  private static byte[] preface() {
    return target.hasPreface() ? Preface.bytes() : new byte[0];
  }

  /** The opening of a well-behaved connection: the preface if any and a default HELLO. */
  protected static byte[] opening() {
    return opening(Hello.getDefaultInstance());
  }

  private static byte[] opening(Hello hello) {
    return concat(preface(), hello(hello));
  }

  /** Writes {@code bytes} to {@code raw} and flushes. */
  protected static void write(RawStream raw, byte[] bytes) throws IOException {
    raw.out().write(bytes);
    raw.out().flush();
  }

  private static boolean has(List<Frame> frames, FrameType type, int streamId) {
    return frames.stream().anyMatch(f -> f.type() == type && f.streamId() == streamId);
  }

  private static void assertNoGoAway(List<Frame> received) {
    assertTrue(received.stream().noneMatch(f -> f.type() == FrameType.GO_AWAY),
        "the connection was ended: " + received);
  }

  private static Reset resetOf(List<Frame> received, int streamId) throws IOException {
    Frame reset = received.stream()
        .filter(f -> f.type() == FrameType.RESET && f.streamId() == streamId).findFirst()
        .orElseThrow(() -> new AssertionError("stream " + streamId + " was not reset: "
            + received));
    return Reset.parseFrom(reset.payload());
  }

  /** The grpc-status of stream {@code streamId}'s trailers. */
  private static Status.Code trailersStatus(List<Frame> received, int streamId)
      throws IOException {
    Frame trailers = received.stream()
        .filter(f -> f.type() == FrameType.TRAILERS && f.streamId() == streamId).findFirst()
        .orElseThrow(() -> new AssertionError("no trailers on stream " + streamId));
    return Headers.parseFrom(trailers.payload()).getMetadataList().stream()
        .filter(entry -> entry.getKey().toStringUtf8().equals("grpc-status"))
        .map(entry -> Status.fromCodeValue(Integer.parseInt(entry.getValue().toStringUtf8()))
            .getCode())
        .findFirst().orElseThrow(() -> new AssertionError("trailers without grpc-status"));
  }

  private static FrameDecoder decoder() {
    return new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, target.hasPreface());
  }

  /** Reads frames from {@code raw} until {@code done} holds for those read so far. */
  private static List<Frame> readUntil(RawStream raw, Predicate<List<Frame>> done)
      throws IOException {
    return new ServerFrames(raw).readUntil(done);
  }

  /** The frames a server sends on one raw stream, decoded as they come. */
  private static final class ServerFrames {
    private final RawStream raw;
    private final FrameDecoder decoder = decoder();
    private final List<Frame> frames = new ArrayList<>();

    ServerFrames(RawStream raw) {
      this.raw = raw;
    }

    /** Reads until {@code done} holds for every frame read so far; returns them all. */
    List<Frame> readUntil(Predicate<List<Frame>> done) throws IOException {
      byte[] buffer = new byte[4096];
      while (!done.test(frames)) {
        int n = raw.in().read(buffer);
        if (n < 0) {
          throw new AssertionError("the server closed the connection; it sent " + frames);
        }
        try {
          decoder.decode(ByteBuffer.wrap(buffer, 0, n), frames::add);
        } catch (ProtocolException e) {
          throw new AssertionError("the server's own bytes are not valid: " + e.getMessage(), e);
        }
      }
      return frames;
    }
  }

  private static GoAway sendAndAwaitGoAway(byte[] bytes) throws Exception {
    try (RawStream raw = target.openRaw()) {
      write(raw, bytes);
      return awaitGoAway(raw);
    }
  }

  /** Reads {@code raw} until the server closes it; returns the GO_AWAY it sent before. */
  protected static GoAway awaitGoAway(RawStream raw) throws IOException {
    byte[] received = readUntilClosed(raw);
    List<Frame> frames = new ArrayList<>();
    try {
      decoder().decode(ByteBuffer.wrap(received), frames::add);
    } catch (ProtocolException e) {
      throw new AssertionError("the server's own bytes are not valid: " + e.getMessage(), e);
    }
    Frame goAway = frames.stream().filter(f -> f.type() == FrameType.GO_AWAY).findFirst()
        .orElse(null);
    assertNotNull(goAway, "the server closed without a GO_AWAY; it sent " + frames);
    return GoAway.parseFrom(goAway.payload());
  }

  private static byte[] readUntilClosed(RawStream raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = raw.in().read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
