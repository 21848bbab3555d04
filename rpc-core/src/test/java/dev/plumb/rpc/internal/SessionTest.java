package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.internal.ClientStream;
import io.grpc.internal.ClientStreamListener;
import io.grpc.internal.ManagedClientTransport;
import io.grpc.internal.ServerStream;
import io.grpc.internal.ServerTransportListener;
import io.grpc.internal.StreamListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The session driven frame by frame on one thread through {@link SessionHarness}: what it
 * writes, when it closes, and that no gRPC callback ever runs under its lock.
 */
class SessionTest {
  private static final String METHOD = "harness.Echo/Call";

  /** Every callback's name, with "under lock" appended if it ran holding the session lock. */
  private final List<String> callbacks = new ArrayList<>();
  /** The session under test; callbacks ask it whether its lock is held. */
  private SessionHarness harness;

  // ---- server ------------------------------------------------------------------------------

  @Test
  void aServerCallRunsEveryCallbackOutsideTheSessionLock() throws Exception {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new EchoingServer());
    assertEquals(List.of(), server.sent(), "a server speaks only once the client's HELLO came");

    server.receiveHello();
    assertEquals(FrameType.HELLO, server.nextSent().type());
    server.receive(requestHeaders(1));
    server.receive(data(1, Frame.FLAG_END_STREAM, "ping"));

    assertEquals(FrameType.HEADERS, server.nextSent().type());
    Frame response = server.nextSent();
    assertEquals(FrameType.DATA, response.type());
    assertEquals("ping", message(response));
    Frame trailers = server.nextSent();
    assertEquals(FrameType.TRAILERS, trailers.type());
    assertEquals(Status.Code.OK,
        MetadataCodec.takeStatus(MetadataCodec.decode(trailers.payload()).metadata).getCode());
    assertEquals(List.of("transportReady", "streamCreated", "onReady", "messagesAvailable",
        "halfClosed", "closed OK"), callbacks);
    assertNull(server.closedWith());
  }

  @Test
  void aCallGrpcCannotStartEndsOnlyItsOwnStream() throws Exception {
    EchoingServer echo = new EchoingServer();
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new ServerTransportListener() {
      @Override
      public void streamCreated(ServerStream stream, String method, Metadata headers) {
        if (stream.streamId() == 1) {
          throw new NumberFormatException("For input string: \"zz\"");
        }
        echo.streamCreated(stream, method, headers);
      }

      @Override
      public Attributes transportReady(Attributes attributes) {
        return attributes;
      }

      @Override
      public void transportTerminated() {}
    });
    server.receiveHello();
    server.sent();
    server.receive(requestHeaders(1));
    Frame reset = server.nextSent();
    assertEquals(FrameType.RESET, reset.type());
    assertEquals(1, reset.streamId());
    Status status = ControlFrames.statusOf(ControlFrames.parseReset(reset), Status.Code.OK);
    assertEquals(Status.Code.INTERNAL, status.getCode());
    assertTrue(status.getDescription().contains("could not start the call"), status.toString());

    server.receive(data(1, Frame.FLAG_END_STREAM, "dropped"));
    server.receive(requestHeaders(3));
    server.receive(data(3, Frame.FLAG_END_STREAM, "served"));
    assertEquals(FrameType.HEADERS, server.nextSent().type());
    assertEquals("served", message(server.nextSent()));
    assertEquals(FrameType.TRAILERS, server.nextSent().type());
    assertNull(server.closedWith(), "the connection must survive one call's failure");
  }

  @Test
  void aServerShutDownBeforeItStartedClosesOnceStarted() {
    SessionHarness server = SessionHarness.serverNotStarted(ProtocolSettings.DEFAULTS);
    harness = server;
    server.serverTransport().shutdownNow(Status.UNAVAILABLE.withDescription("server stopping"));
    server.serverTransport().start(new EchoingServer());
    server.settle();

    assertEquals("server stopping", server.closedWith().getDescription());
    List<FrameType> sent = server.sent().stream().map(Frame::type).toList();
    // Nothing before the client's HELLO, which never came: the GO_AWAY alone.
    assertEquals(List.of(FrameType.GO_AWAY), sent);
    assertEquals(List.of("transportTerminated"), callbacks);
  }

  @Test
  void noHelloWithinTheHandshakeTimeoutClosesTheConnection() throws Exception {
    SessionHarness server = serve(
        ProtocolSettings.DEFAULTS.withHandshakeTimeout(2, TimeUnit.SECONDS), new EchoingServer());
    server.clock.forward(1999, TimeUnit.MILLISECONDS);
    assertNull(server.closedWith());
    server.clock.forward(1, TimeUnit.MILLISECONDS);
    Status closed = server.closedWith();
    assertNotNull(closed, "still open after the handshake timeout");
    assertEquals(Status.Code.UNAVAILABLE, closed.getCode());
    assertEquals("no HELLO from the peer within 2000 ms", closed.getDescription());
    // The peer hears why; a server sends no HELLO before the client's.
    Frame goAway = server.nextSent();
    assertEquals(FrameType.GO_AWAY, goAway.type());
    assertEquals("no HELLO from the peer within 2000 ms",
        ControlFrames.parseGoAway(goAway).getMessage());
  }

  @Test
  void aHelloInTimeCancelsTheHandshakeTimer() {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new EchoingServer());
    assertEquals(1, server.clock.pending());
    server.receiveHello();
    assertEquals(0, server.clock.pending());
    server.clock.forward(1, TimeUnit.HOURS);
    assertNull(server.closedWith());
  }

  @Test
  void dataBeyondTheStreamWindowEndsTheConnectionWithAGoAway() throws Exception {
    SessionHarness server =
        serve(ProtocolSettings.DEFAULTS.withWindows(1024, 1 << 20), new EchoingServer());
    server.receiveHello();
    server.sent();
    server.receive(requestHeaders(1));
    server.receive(Frame.of(FrameType.DATA, 0, 1, new byte[1025]));

    Frame goAway = server.nextSent();
    assertEquals(FrameType.GO_AWAY, goAway.type());
    assertEquals(1, ControlFrames.parseGoAway(goAway).getLastStreamId());
    Status closed = server.closedWith();
    assertEquals(Status.Code.INTERNAL, closed.getCode());
    assertEquals("peer sent 1 DATA bytes beyond the window of stream 1",
        closed.getDescription());
    assertTrue(callbacks.contains("closed UNAVAILABLE") || callbacks.contains("closed INTERNAL"),
        "the call was not ended: " + callbacks);
  }

  @Test
  void aFrameBeforeHelloIsAProtocolError() {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new EchoingServer());
    server.sent();
    server.receive(requestHeaders(1));
    assertEquals(FrameType.GO_AWAY, server.nextSent().type());
    assertEquals("expected HELLO as the peer's first frame, got HEADERS",
        server.closedWith().getDescription());
    assertFalse(callbacks.contains("streamCreated"));
  }

  @Test
  void emptyDataFramesInARowEndTheConnection() {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new EchoingServer());
    server.receiveHello();
    server.receive(requestHeaders(1));
    server.sent();
    Frame empty = Frame.of(FrameType.DATA, 0, 1, new byte[0]);
    for (int i = 0; i < FloodLimits.MAX_EMPTY_DATA_IN_A_ROW; i++) {
      server.receive(empty);
    }
    assertNull(server.closedWith(), "closed before the limit");
    server.receive(empty);
    assertEquals(FrameType.GO_AWAY, server.nextSent().type());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, server.closedWith().getCode());
    assertEquals("more than 8 empty DATA frames in a row", server.closedWith().getDescription());
  }

  @Test
  void callsThatEndWithAnEmptyDataFrameAreNoFlood() {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, new EchoingServer());
    server.receiveHello();
    for (int id = 1; id < 2 * 4 * FloodLimits.MAX_EMPTY_DATA_IN_A_ROW; id += 2) {
      server.receive(requestHeaders(id));
      server.receive(Frame.of(FrameType.DATA, Frame.FLAG_END_STREAM, id, new byte[0]));
    }
    assertNull(server.closedWith());
  }

  @Test
  void rapidResetEndsTheConnectionAndASlowerPaceDoesNot() {
    SessionHarness server = serve(
        ProtocolSettings.DEFAULTS.withMaxResets(5, 10, TimeUnit.SECONDS), new EchoingServer());
    server.receiveHello();
    int id = 1;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5; i++, id += 2) {
        server.receive(requestHeaders(id));
        server.receive(ControlFrames.reset(id, Status.CANCELLED));
      }
      server.clock.forward(10, TimeUnit.SECONDS);
    }
    assertNull(server.closedWith(), "5 resets per 10 s is within the limit");
    for (int i = 0; i < 6; i++, id += 2) {
      server.receive(requestHeaders(id));
      server.receive(ControlFrames.reset(id, Status.CANCELLED));
    }
    server.sent().stream().filter(frame -> frame.type() == FrameType.GO_AWAY).findFirst()
        .orElseThrow(() -> new AssertionError("no GO_AWAY after the sixth reset"));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, server.closedWith().getCode());
    assertEquals("the client reset more than 5 streams within 10 s (rapid reset)",
        server.closedWith().getDescription());
  }

  @Test
  void aServerStreamingToAPeerThatReadsNothingStopsAtTheHighWaterMarkAndResumesWhenItReads() {
    StreamingServer streaming = new StreamingServer();
    SessionHarness server = serve(ProtocolSettings.DEFAULTS, streaming);
    // The peer grants the largest windows there are, then reads nothing.
    server.receive(Frame.of(FrameType.HELLO, 0, 0, Hello.newBuilder()
        .setInitialStreamWindow(Integer.MAX_VALUE)
        .setInitialConnectionWindow(Integer.MAX_VALUE).build().toByteArray()));
    server.holdLink();
    server.receive(requestHeaders(1));

    long bound = LinkBacklog.HIGH_WATER + 4 * StreamingServer.MESSAGE;
    assertTrue(streaming.written <= bound, "the application was let write "
        + streaming.written + " bytes to a peer that read none; bound " + bound);
    assertTrue(streaming.written >= LinkBacklog.HIGH_WATER, "stopped early: "
        + streaming.written);
    long before = streaming.written;

    server.linkTakes(server.heldFrames());
    assertTrue(streaming.written > before, "no onReady once the link took the backlog");
    assertFalse(callbacks.contains("onReady under lock"), callbacks.toString());
    assertNull(server.closedWith());
  }

  @Test
  void aPeerThatReadsNothingYetProvokesAnswersIsCutOff() {
    SessionHarness server = serve(ProtocolSettings.DEFAULTS.withMaxConcurrentStreams(1),
        new StreamingServer());
    server.receive(Frame.of(FrameType.HELLO, 0, 0, Hello.newBuilder()
        .setInitialStreamWindow(Integer.MAX_VALUE)
        .setInitialConnectionWindow(Integer.MAX_VALUE).build().toByteArray()));
    server.holdLink();
    server.receive(requestHeaders(1));  // Fills the backlog: the peer reads nothing.
    int id = 3;
    for (int i = 0; i < LinkBacklog.MAX_CONTROL_FRAMES_WHILE_FULL; i++, id += 2) {
      server.receive(requestHeaders(id));  // Each refused with a RESET.
    }
    assertNull(server.closedWith(), "cut off before the limit");
    server.receive(requestHeaders(id));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, server.closedWith().getCode());
    assertTrue(server.closedWith().getDescription().startsWith("the peer reads nothing"),
        server.closedWith().getDescription());
  }

  // ---- client ------------------------------------------------------------------------------

  @Test
  void aClientCallRunsEveryCallbackOutsideTheSessionLock() throws Exception {
    SessionHarness client = SessionHarness.client(ProtocolSettings.DEFAULTS,
        new RecordingTransportListener());
    harness = client;
    assertEquals(FrameType.HELLO, client.nextSent().type());
    client.receiveHello();

    ClientStream stream = client.clientTransport().newStream(method(), new Metadata(),
        CallOptions.DEFAULT, new ClientStreamTracer[] {new ClientStreamTracer() {}});
    stream.start(new RecordingClientListener());
    stream.request(1);
    stream.writeMessage(new ByteArrayInputStream("ping".getBytes(StandardCharsets.UTF_8)));
    stream.halfClose();
    Frame headers = client.nextSent();
    assertEquals(FrameType.HEADERS, headers.type());
    assertEquals(1, headers.streamId());
    Frame request = client.nextSent();
    assertEquals("ping", message(request));
    assertTrue(request.hasFlag(Frame.FLAG_END_STREAM), "unary request must half-close");

    client.receive(Frame.of(FrameType.HEADERS, 0, 1,
        MetadataCodec.encode(null, null, new Metadata())));
    client.receive(data(1, 0, "pong"));
    Metadata trailers = new Metadata();
    trailers.put(io.grpc.InternalStatus.CODE_KEY, Status.OK);
    client.receive(Frame.of(FrameType.TRAILERS, 0, 1,
        MetadataCodec.encode(null, null, trailers)));

    assertEquals(List.of("transportReady", "transportInUse true", "onReady", "headersRead",
        "messagesAvailable pong", "closed OK", "transportInUse false"), callbacks);
  }

  @Test
  void aClientShutDownAsItsConnectionArrivesClosesThatConnectionUnstarted() {
    SessionHarness client = SessionHarness.clientStillConnecting(ProtocolSettings.DEFAULTS,
        new RecordingTransportListener());
    harness = client;
    int openBefore = OpenConnections.count();
    client.clientTransport().shutdown(Status.UNAVAILABLE.withDescription("channel shut down"));
    client.finishConnecting();

    assertFalse(client.started(), "a shut-down transport started the link it was handed");
    assertEquals("transport shut down while connecting", client.closedWith().getDescription());
    assertTrue(client.sent().isEmpty(), "a shut-down transport sent HELLO");
    assertEquals(openBefore, OpenConnections.count());
    assertEquals(List.of("transportShutdown", "transportTerminated"), callbacks);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private SessionHarness serve(ProtocolSettings settings, ServerTransportListener listener) {
    harness = SessionHarness.server(settings, listener);
    return harness;
  }

  /** Records that {@code callback} ran, and whether the session lock was held then. */
  private void record(String callback) {
    boolean underLock = harness != null && harness.sessionLockHeld();
    callbacks.add(underLock ? callback + " under lock" : callback);
  }

  private static Frame requestHeaders(int streamId) {
    return Frame.of(FrameType.HEADERS, 0, streamId,
        MetadataCodec.encode(METHOD, "harness", new Metadata()));
  }

  /** A DATA frame carrying one uncompressed gRPC message. */
  private static Frame data(int streamId, int flags, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(5 + bytes.length);
    payload.put((byte) 0).putInt(bytes.length).put(bytes).flip();
    return Frame.of(FrameType.DATA, flags, streamId, payload);
  }

  /** The text of the one gRPC message in a DATA frame. */
  private static String message(Frame data) {
    ByteBuffer payload = data.payload().duplicate();
    payload.get();
    byte[] bytes = new byte[payload.getInt()];
    payload.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String read(StreamListener.MessageProducer producer) {
    StringBuilder text = new StringBuilder();
    InputStream message;
    while ((message = producer.next()) != null) {
      try (InputStream in = message) {
        text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }

  private static MethodDescriptor<InputStream, InputStream> method() {
    MethodDescriptor.Marshaller<InputStream> raw = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(InputStream value) {
        return value;
      }

      @Override
      public InputStream parse(InputStream stream) {
        return stream;
      }
    };
    return MethodDescriptor.<InputStream, InputStream>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(METHOD)
        .setRequestMarshaller(raw)
        .setResponseMarshaller(raw)
        .build();
  }

  /**
   * A server that answers each call with a stream of messages, written while gRPC says the
   * stream is ready, as a well-behaved streaming service does; it stops at 64 MiB so that a
   * transport that never turns it unready fails the test instead of hanging it.
   */
  private final class StreamingServer implements ServerTransportListener {
    static final int MESSAGE = 64 * 1024;
    long written;

    @Override
    public void streamCreated(ServerStream stream, String method, Metadata headers) {
      stream.setListener(new ServerStreamListenerAdapter() {
        @Override
        public void onReady() {
          record("onReady");
          stream.writeHeaders(new Metadata(), true);
          while (stream.isReady() && written < 64 << 20) {
            stream.writeMessage(new ByteArrayInputStream(new byte[MESSAGE]));
            stream.flush();
            written += MESSAGE;
          }
        }
      });
    }

    @Override
    public Attributes transportReady(Attributes attributes) {
      return attributes;
    }

    @Override
    public void transportTerminated() {}
  }

  /**
   * A server as gRPC's would drive the transport, on a direct executor: it echoes each call's
   * one request, and records every callback with whether it ran under the session lock.
   */
  private final class EchoingServer implements ServerTransportListener {
    @Override
    public void streamCreated(ServerStream stream, String method, Metadata headers) {
      record("streamCreated");
      StringBuilder request = new StringBuilder();
      stream.setListener(new ServerStreamListenerAdapter() {
        @Override
        public void messagesAvailable(StreamListener.MessageProducer producer) {
          record("messagesAvailable");
          request.append(read(producer));
        }

        @Override
        public void onReady() {
          record("onReady");
        }

        @Override
        public void halfClosed() {
          record("halfClosed");
          stream.writeHeaders(new Metadata(), true);
          stream.writeMessage(new ByteArrayInputStream(
              request.toString().getBytes(StandardCharsets.UTF_8)));
          stream.flush();
          stream.close(Status.OK, new Metadata());
        }

        @Override
        public void closed(Status status) {
          record("closed " + status.getCode());
        }
      });
      stream.request(1);
    }

    @Override
    public Attributes transportReady(Attributes attributes) {
      record("transportReady");
      return attributes;
    }

    @Override
    public void transportTerminated() {
      record("transportTerminated");
    }
  }

  private final class RecordingTransportListener implements ManagedClientTransport.Listener {
    @Override
    public void transportShutdown(Status status, io.grpc.internal.DisconnectError error) {
      record("transportShutdown");
    }

    @Override
    public void transportTerminated() {
      record("transportTerminated");
    }

    @Override
    public void transportReady() {
      record("transportReady");
    }

    @Override
    public void transportInUse(boolean inUse) {
      record("transportInUse " + inUse);
    }
  }

  private final class RecordingClientListener implements ClientStreamListener {
    @Override
    public void headersRead(Metadata headers) {
      record("headersRead");
    }

    @Override
    public void closed(Status status, RpcProgress rpcProgress, Metadata trailers) {
      record("closed " + status.getCode());
    }

    @Override
    public void messagesAvailable(StreamListener.MessageProducer producer) {
      record("messagesAvailable " + read(producer));
    }

    @Override
    public void onReady() {
      record("onReady");
    }
  }

}
