package dev.plumb.rpc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.kit.Refusal;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that refuses a peer sends GO_AWAY in place of HELLO ({@link Refusal}); the client's
 * calls fail with the refusal's own code and reason, not a bare UNAVAILABLE.
 */
@Timeout(30)
class RefusalTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aRefusedClientsCallFailsWithTheRefusalsCodeAndReason() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      // A "transport" that refuses every peer, as transports with access control do. On a
      // thread of its own: in the common pool it could hold the only thread that the
      // stream-test: transport's connect also needs.
      CompletableFuture<Void> refused = new CompletableFuture<>();
      Thread refuser = new Thread(() -> {
        try (Socket peer = server.accept()) {
          peer.getOutputStream().write(Refusal.streamBytes(
              Status.PERMISSION_DENIED.withDescription("uid 1234 is not allowed to connect")));
          peer.shutdownOutput();
          InputStream in = peer.getInputStream();
          while (in.read() >= 0) {
            // Until the client hangs up, so that it reads the refusal first.
          }
          refused.complete(null);
        } catch (IOException | RuntimeException e) {
          refused.completeExceptionally(e);
        }
      }, "refuser");
      refuser.setDaemon(true);
      refuser.start();
      String target = "stream-test://127.0.0.1:" + server.getLocalPort();
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(target).build());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .unary(EchoRequest.getDefaultInstance()));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
      assertEquals(target + ": the connection was refused: uid 1234 is not allowed to"
          + " connect", e.getStatus().getDescription());
      refused.get(10, TimeUnit.SECONDS);
    }
  }
}
