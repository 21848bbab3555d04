package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.frame.Http2Peer;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client of one protocol at a server of the other, over real sockets, TCP and Unix, both
 * ways: the call fails at once with UNAVAILABLE naming the mismatch. A Plumb client at a
 * grpc-netty server hears that the peer speaks HTTP/2 and which target to use; grpc-java's own
 * HTTP/2 client at a Plumb listener hears that it is a Plumb endpoint, in the status that Plumb
 * answers its call with in HTTP/2, long before the Plumb server's handshake timeout.
 */
@Timeout(60)
class ProtocolMismatchTest {
  /** Far beyond the calls' deadline: a failure must come from the answer, not from this. */
  private static final long PLUMB_HANDSHAKE_TIMEOUT_SECONDS = 120;
  private static final long DEADLINE_SECONDS = 20;

  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private static StatusRuntimeException failedCall(ManagedChannel channel) {
    return assertThrows(StatusRuntimeException.class, () -> CalculatorGrpc
        .newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(1).setB(2).build()));
  }

  private static void assertMismatch(StatusRuntimeException failure, String expected) {
    Status status = failure.getStatus();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(String.valueOf(status.getDescription()).contains(expected), status.toString());
  }

  @Test
  void aPlumbClientAtGrpcNettyServersOverTcpAndUnixHearsItSpeaksHttp2() throws Exception {
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("grpc://127.0.0.1:0")
        .addListenAddress("grpc+unix://" + dir.resolve("h2.sock"))
        .addService(new CalculatorService()).build().start());
    for (SocketAddress socket : server.getListenSockets()) {
      GrpcListenAddress grpc = (GrpcListenAddress) socket;
      String plumbTarget = grpc.isUnix() ? grpc.grpcTarget() : "tcp://" + grpc.grpcTarget();
      StatusRuntimeException failure = failedCall(cleanup.add(
          PlumbChannelBuilder.forTarget(plumbTarget).build()));
      assertMismatch(failure, "peer speaks HTTP/2 (gRPC over HTTP/2), not Plumb");
      assertMismatch(failure, "the target host:port (dns:///host:port) in place of tcp://");
    }
  }

  @Test
  void grpcJavasHttp2ClientAtPlumbListenersOverTcpAndUnixHearsItIsAPlumbEndpoint()
      throws Exception {
    Server server = cleanup.add(PlumbServerBuilder.forAddress("tcp://127.0.0.1:0")
        .addListenAddress("unix://" + dir.resolve("plumb.sock"))
        .handshakeTimeout(PLUMB_HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .addService(new CalculatorService()).build().start());
    for (SocketAddress socket : server.getListenSockets()) {
      // What a gRPC user would write for that address: host:port, or gRPC's own unix:.
      String grpcTarget = socket.toString().startsWith("tcp://")
          ? socket.toString().substring("tcp://".length()) : socket.toString();
      assertMismatch(failedCall(cleanup.add(Grpc.newChannelBuilder(
          grpcTarget, InsecureChannelCredentials.create()).build())), Http2Peer.NOT_HTTP2);
    }
  }
}
