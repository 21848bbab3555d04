package dev.plumb.rpc.testing;

import static dev.plumb.rpc.testing.RawFrames.concat;
import static dev.plumb.rpc.testing.RawFrames.encode;
import static dev.plumb.rpc.testing.RawFrames.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.MetadataEntry;
import dev.plumb.proto.wire.Reset;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad bytes at a server over a byte-stream transport: each case must end only the offending
 * connection, with a GO_AWAY that says what was wrong, while the server (in its own process)
 * goes on serving a well-behaved channel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractBadInputTest {
  private static ServerProcess server;
  private final Cleanup cleanup = new Cleanup();
  private ManagedChannel channel;

  /** A fresh address for the server to listen on. */
  protected abstract String listenAddress();

  /** A raw byte stream to the server at {@code target}. */
  protected abstract RawStream openRawStream(String target) throws IOException;

  @BeforeEach
  void startServer() throws Exception {
    if (server == null || !server.isAlive()) {
      server = ServerProcess.start(listenAddress());
    }
    channel = cleanup.add(PlumbChannelBuilder.forTarget(server.address()).build());
  }

  @AfterEach
  void closeChannel() throws Exception {
    // The server survived the bad peer: a well-behaved call still works.
    ByteString payload = ByteString.copyFromUtf8("still serving");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
    cleanup.close();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Test
  void notPlumbAtAll() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(
        "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(Status.Code.UNAVAILABLE.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("not a Plumb endpoint"), goAway.getMessage());
    // The first eight bytes, all the server needed to see, are quoted as they came.
    assertTrue(goAway.getMessage().contains("\"GET / HT\""), goAway.getMessage());
  }

  @Test
  void anotherProtocolVersion() throws Exception {
    byte[] preface = Preface.bytes();
    preface[7] = 9;
    GoAway goAway = sendAndAwaitGoAway(preface);
    assertTrue(goAway.getMessage().contains("version 9"), goAway.getMessage());
  }

  @Test
  void aFrameLengthBeyondTheLimitIsRefusedBeforeItsPayload() throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(Preface.LENGTH + FrameCodec.HEADER_LENGTH);
    Preface.write(bytes);
    bytes.putInt(Integer.MAX_VALUE).put((byte) FrameType.DATA.code()).put((byte) 0).putInt(1);
    GoAway goAway = sendAndAwaitGoAway(bytes.array());
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("exceeds the maximum frame size"), goAway.getMessage());
  }

  @Test
  void dataBeforeHello() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(Preface.bytes(),
        encode(Frame.of(FrameType.DATA, 0, 1, new byte[] {1, 2, 3}))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("expected HELLO"), goAway.getMessage());
  }

  @Test
  void garbageInsideAHeadersFrame() throws Exception {
    GoAway goAway = sendAndAwaitGoAway(concat(Preface.bytes(), hello(),
        encode(Frame.of(FrameType.HEADERS, 0, 1, new byte[] {(byte) 0xff, (byte) 0xff, 7}))));
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("malformed headers"), goAway.getMessage());
  }

  @Test
  void aPeerThatVanishesInTheMiddleOfAFrame() throws Exception {
    byte[] frame = encode(Frame.of(FrameType.PING, 0, 0, new byte[8]));
    try (RawStream raw = openRawStream(server.address())) {
      raw.out().write(concat(Preface.bytes(), hello(), java.util.Arrays.copyOf(frame, 5)));
      raw.out().flush();
    }
  }

  /**
   * A header gRPC cannot start a call with (a malformed {@code grpc-timeout}) ends only its
   * own stream: the client hears a RESET naming the reason, and the next call on the same
   * connection is served.
   */
  @Test
  void aMalformedGrpcTimeoutEndsOnlyItsStream() throws Exception {
    String unary = ConformanceGrpc.getUnaryMethod().getFullMethodName();
    EchoRequest request =
        EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("after")).build();
    Headers.Builder badTimeout = Headers.newBuilder().addMetadata(MetadataEntry.newBuilder()
        .setKey(ByteString.copyFromUtf8("grpc-timeout"))
        .setValue(ByteString.copyFromUtf8("zz")));
    try (RawStream raw = openRawStream(server.address())) {
      raw.out().write(concat(Preface.bytes(), hello(),
          RawFrames.call(1, unary, request, badTimeout),
          RawFrames.call(3, unary, request, Headers.newBuilder())));
      raw.out().flush();
      List<Frame> received = readUntil(raw, frames -> frames.stream()
          .anyMatch(f -> f.type() == FrameType.TRAILERS && f.streamId() == 3));
      Frame reset = received.stream()
          .filter(f -> f.type() == FrameType.RESET && f.streamId() == 1).findFirst()
          .orElseThrow(() -> new AssertionError("stream 1 was not reset: " + received));
      Reset status = Reset.parseFrom(reset.payload());
      assertEquals(Status.Code.INTERNAL.value(), status.getStatusCode());
      assertTrue(status.getMessage().contains("could not start the call"), status.getMessage());
      assertTrue(received.stream().noneMatch(f -> f.type() == FrameType.GO_AWAY),
          "the connection was ended: " + received);
    }
  }

  /** Reads frames from {@code raw} until {@code done} holds for those read so far. */
  private static List<Frame> readUntil(RawStream raw, Predicate<List<Frame>> done)
      throws IOException {
    List<Frame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, true);
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

  private GoAway sendAndAwaitGoAway(byte[] bytes) throws Exception {
    byte[] received;
    try (RawStream raw = openRawStream(server.address())) {
      raw.out().write(bytes);
      raw.out().flush();
      received = readUntilClosed(raw);
    }
    List<Frame> frames = new ArrayList<>();
    try {
      new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, true)
          .decode(ByteBuffer.wrap(received), frames::add);
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
