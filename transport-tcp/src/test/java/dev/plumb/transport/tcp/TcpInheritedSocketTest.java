package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.Server;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TCP socket opened and bound outside the server, as systemd or a parent hands one over,
 * served through {@code fd:N} (the daemon's tests pass real inherited descriptors). The
 * sockets are Netty's own, whose objects do not close their descriptor when collected: the
 * server owns it from then on.
 */
@Timeout(30)
class TcpInheritedSocketTest {
  private final Cleanup cleanup = new Cleanup();

  /** Loads the native library that Netty's sockets below need; the transport needs it too. */
  @BeforeAll
  static void requireEpoll() {
    Epoll.ensureAvailability();
  }

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aListeningSocketIsServedAtTheAddressItIsBoundTo() throws Exception {
    Socket socket = Socket.newSocketStream();
    socket.bind(new InetSocketAddress("127.0.0.1", 0));
    socket.listen(16);
    int port = socket.localAddress().getPort();

    Server server = cleanup.add(PlumbServerBuilder.forAddress("fd:" + socket.intValue()
            + "?idle=poll").addService(new ConformanceService()).build().start());
    assertEquals("tcp://127.0.0.1:" + port, server.getListenSockets().get(0).toString());
    assertEquals("inherited", ConformanceGrpc.newBlockingStub(cleanup.add(
            PlumbChannelBuilder.forTarget("tcp://127.0.0.1:" + port).build()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("inherited")).build())
        .getPayload().toStringUtf8());
    assertTrue(server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    assertThrows(ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close(),
        "the server closed the socket it was given");
  }

  @Test
  void aSocketThatDoesNotListenOrAnOptionOtherThanIdleIsRefused() throws Exception {
    Socket bound = Socket.newSocketStream();
    Socket listening = Socket.newSocketStream();
    try {
      bound.bind(new InetSocketAddress("127.0.0.1", 0));
      String notListening = assertThrows(IllegalArgumentException.class,
          () -> PlumbServerBuilder.forAddress("fd:" + bound.intValue())).getMessage();
      assertTrue(notListening.endsWith("descriptor " + bound.intValue() + " is a TCP socket that"
          + " does not listen (a connection, or a socket bound without listen())"), notListening);

      listening.bind(new InetSocketAddress("127.0.0.1", 0));
      listening.listen(1);
      String option = assertThrows(IllegalArgumentException.class,
          () -> PlumbServerBuilder.forAddress("fd:" + listening.intValue() + "?mode=0600"))
          .getMessage();
      assertTrue(option.contains("unknown option 'mode'; accepted options: idle"), option);
    } finally {
      bound.close();
      listening.close();
    }
  }
}
