package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keep-alive both ways: a client notices a silent peer; a server stops a ping flood. */
@Timeout(40)
class KeepAliveTest {
  private final Cleanup cleanup = new Cleanup();
  private final TransportRegistry registry = TransportRegistry.getDefault();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  /**
   * A peer that completes the handshake, then never answers anything: the link looks alive,
   * so only keep-alive can tell. gRPC clamps the keep-alive time to at least 10 s.
   */
  @Test
  void aClientGivesUpOnAPeerThatStopsAnswering() throws Exception {
    PlumbAddress address = registry.parse("mem:silent-" + UUID.randomUUID());
    PlumbTransport transport = registry.transportFor(address);
    try (Listener listener = transport.listen(address, KeepAliveTest::answerHelloOnly)) {
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address.toString())
          .keepAliveTime(10, TimeUnit.SECONDS)
          .keepAliveTimeout(500, TimeUnit.MILLISECONDS)
          .build());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
              .hang(EchoRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
      assertTrue(e.getStatus().getDescription().contains("Keepalive failed"), e.toString());
    }
  }

  private static void answerHelloOnly(Connection connection) {
    connection.start(new ConnectionHandler() {
      private boolean greeted;

      @Override
      public int maxFrameSize() {
        return ProtocolSettings.DEFAULT_MAX_FRAME_SIZE;
      }

      @Override
      public void onSent(long bytes) {}

      @Override
      public void onReadComplete() {}

      @Override
      public void onFrame(Frame frame) {
        if (!greeted) {
          greeted = true;
          connection.write(Frame.of(FrameType.HELLO, 0, 0, Hello.getDefaultInstance().toByteArray()));
          connection.flush();
        }
      }

      @Override
      public void onProtocolError(ProtocolException error) {}

      @Override
      public void onClosed(Status status) {}
    });
  }

  @Test
  void aServerEndsAConnectionThatPingsTooOften() throws Exception {
    String target = "mem:pinged-" + UUID.randomUUID();
    cleanup.add(PlumbServerBuilder.forAddress(target).addService(new ConformanceService())
        .build().start());
    PlumbAddress address = registry.parse(target);
    Connection client = registry.transportFor(address).connect(address).get(10, TimeUnit.SECONDS);
    RecordingHandler handler = new RecordingHandler(ProtocolSettings.DEFAULT_MAX_FRAME_SIZE);
    client.start(handler);
    client.write(Frame.of(FrameType.HELLO, 0, 0, Hello.getDefaultInstance().toByteArray()));
    for (int i = 0; i < 5; i++) {
      client.write(Frame.of(FrameType.PING, 0, 0, ByteBuffer.allocate(8).putLong(0, i)));
    }
    client.flush();
    Status closed = handler.awaitClosedForTest();
    assertEquals(Status.Code.UNAVAILABLE, closed.getCode());
    GoAway goAway = handler.lastGoAwayForTest();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), goAway.getStatusCode());
    assertTrue(goAway.getMessage().contains("too_many_pings"), goAway.getMessage());
  }
}
