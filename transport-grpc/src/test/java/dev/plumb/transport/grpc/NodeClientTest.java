package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.node.NodeCalculatorClient;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.Server;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program in another language reaches the services of a Plumb server through its gRPC
 * endpoint: a Node.js client on @grpc/grpc-js, in a process of its own, calls the example
 * calculator over {@code grpc://} and {@code grpc+unix:}, unary calls, an error status and a
 * server stream, while the same server listens on Plumb's {@code tcp:}. Skipped, saying why,
 * without {@code node} on the PATH ({@link NodeClient}).
 */
@Timeout(300)
class NodeClientTest {
  private static NodeCalculatorClient client;

  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @BeforeAll
  static void install() throws Exception {
    client = NodeClient.installed();
  }

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void callsTheCalculatorOverGrpcTcpAndUnix() throws Exception {
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("tcp://127.0.0.1:0")
        .addListenAddress("grpc://127.0.0.1:0")
        .addListenAddress("grpc+unix://" + dir.resolve("calc.h2.sock"))
        .addService(new CalculatorService())
        .build().start());
    List<? extends SocketAddress> sockets = server.getListenSockets();
    for (SocketAddress socket : sockets.subList(1, sockets.size())) {
      String target = ((GrpcListenAddress) socket).grpcTarget();
      NodeCalculatorClient.Result result = client.call(target);
      assertEquals(0, result.exitCode(), "the Node.js client against " + target + " ("
          + result.describeExit() + "):\n" + result.output());
      assertEquals(NodeCalculatorClient.EXPECTED, result.output().lines().toList(),
          "against " + target);
    }
  }
}
