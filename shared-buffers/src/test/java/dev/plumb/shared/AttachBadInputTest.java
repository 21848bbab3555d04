package dev.plumb.shared;

import static dev.plumb.rpc.testing.RawFrames.concat;
import static dev.plumb.rpc.testing.RawFrames.encode;
import static dev.plumb.rpc.testing.RawFrames.headers;
import static dev.plumb.rpc.testing.RawFrames.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.Reset;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.Upload;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that breaks the attachment rules, in raw frames over {@code tcp:}, at a server that
 * accepts attachments ({@link SharedServerMain}, in a process of its own): each case ends the
 * stream or the connection with the status that says what was wrong, and the server goes on
 * serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttachBadInputTest {
  private static final String SUM = ChecksumsGrpc.getSumMethod().getFullMethodName();
  private static final long MAX_ATTACHED_BYTES_PER_CALL = 1 << 20;

  private static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    server = ServerProcess.start("server", JavaCommand.of(List.of(),
        SharedServerMain.class.getName(), List.of("tcp://127.0.0.1:0",
            Long.toString(MAX_ATTACHED_BYTES_PER_CALL))),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A well-behaved call with a buffer still works after each case. */
  @AfterEach
  void theServerStillServes() throws Exception {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
    try (SharedBuffer buffer = SharedServerMain.filled(1000, 1)) {
      assertEquals(SharedServerMain.checksumOf(1000, 1), ChecksumsGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .sum(Upload.newBuilder().setData(buffer.seal()).build()).getCrc32C());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anAttachOnAStreamNeverOpenedEndsTheConnection() throws Exception {
    List<Frame> received = exchange(attach(5, AttachFrames.MODE_INLINE, 10),
        frames -> has(frames, FrameType.GO_AWAY, 0));
    GoAway goAway = GoAway.parseFrom(first(received, FrameType.GO_AWAY, 0).payload());
    assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
    assertEquals("ATTACH for stream 5, which the client never opened", goAway.getMessage());
  }

  /** tcp: passes no descriptors: an ATTACH that names one names more than the link delivered. */
  @Test
  void anAttachWithMoreDescriptorsThanTheLinkDeliveredResetsItsStream() throws Exception {
    List<Frame> received = exchange(concat(headers(1, SUM, Headers.newBuilder()),
        attach(1, AttachFrames.MODE_DESCRIPTOR, 10), encode(ControlFrames.ping(0, 7))),
        frames -> has(frames, FrameType.RESET, 1) && has(frames, FrameType.PING, 0));
    Reset reset = Reset.parseFrom(first(received, FrameType.RESET, 1).payload());
    assertEquals(Status.Code.INTERNAL.value(), reset.getStatusCode());
    assertEquals("ATTACH on stream 1 names 1 descriptors; the link delivered fewer",
        reset.getMessage());
    assertTrue(received.stream().noneMatch(frame -> frame.type() == FrameType.GO_AWAY),
        "the connection goes on: " + received);
  }

  @Test
  void inlineBytesBeyondTheAttachmentsLengthResetItsStream() throws Exception {
    List<Frame> received = exchange(concat(headers(1, SUM, Headers.newBuilder()),
        attach(1, AttachFrames.MODE_INLINE, 10),
        encode(Frame.of(FrameType.ATTACH_DATA, 0, 1, new byte[11]))),
        frames -> has(frames, FrameType.RESET, 1));
    Reset reset = Reset.parseFrom(first(received, FrameType.RESET, 1).payload());
    assertEquals(Status.Code.INTERNAL.value(), reset.getStatusCode());
    assertEquals("ATTACH_DATA of 11 bytes on stream 1 where 10 bytes of one is missing",
        reset.getMessage());
  }

  /** Refused on the ATTACH, before anything is made for it: no memfd of that size. */
  @Test
  void anAttachmentOverTheCallsLimitResetsItsStream() throws Exception {
    List<Frame> received = exchange(concat(headers(1, SUM, Headers.newBuilder()),
        attach(1, AttachFrames.MODE_INLINE, 1L << 62)),
        frames -> has(frames, FrameType.RESET, 1));
    Reset reset = Reset.parseFrom(first(received, FrameType.RESET, 1).payload());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), reset.getStatusCode());
    assertEquals((1L << 62) + " bytes attached to one call exceed this side's limit of "
        + MAX_ATTACHED_BYTES_PER_CALL + " (maxAttachedBytesPerCall)", reset.getMessage());
  }

  private static byte[] attach(int streamId, int mode, long length) {
    return encode(AttachFrames.attach(streamId, 0, List.of(
        new AttachFrames.Entry(new byte[AttachFrames.TOKEN_LENGTH], length, mode))));
  }

  /**
   * Opens a raw connection, sends the preface, a HELLO and {@code frames}, and reads the
   * server's frames until {@code done} holds for them.
   */
  private static List<Frame> exchange(byte[] frames, Predicate<List<Frame>> done)
      throws IOException {
    URI address = URI.create(server.address());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 10_000);
      socket.getOutputStream().write(concat(Preface.bytes(), hello(), frames));
      socket.getOutputStream().flush();
      FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, true);
      List<Frame> received = new ArrayList<>();
      byte[] buffer = new byte[4096];
      while (!done.test(received)) {
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          throw new AssertionError("the server closed the connection; it sent " + received);
        }
        try {
          decoder.decode(ByteBuffer.wrap(buffer, 0, n), received::add);
        } catch (ProtocolException e) {
          throw new AssertionError("the server's bytes are not valid: " + e.getMessage(), e);
        }
      }
      return received;
    }
  }

  private static boolean has(List<Frame> frames, FrameType type, int streamId) {
    return frames.stream().anyMatch(f -> f.type() == type && f.streamId() == streamId);
  }

  private static Frame first(List<Frame> frames, FrameType type, int streamId) {
    return frames.stream().filter(f -> f.type() == type && f.streamId() == streamId)
        .findFirst().orElseThrow();
  }
}
