package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.Connection;
import io.grpc.Attributes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A blocking connect behind a future, over real loopback sockets. */
@Timeout(20)
class BlockingConnectorTest {
  private final BlockingConnector connector = new BlockingConnector("test");

  /**
   * The caller gives up while the connect is still under way: the connection that arrives
   * afterwards is closed without being started, and the peer sees its socket end.
   */
  @Test
  void aConnectionThatArrivesAfterCancelIsClosedUnstarted() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch cancelled = new CountDownLatch(1);
      CompletableFuture<Connection> future = connector.connect("loopback", () -> {
        Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
        awaitQuietly(cancelled);
        return new BlockingStreamConnection("abandoned", socket.getInputStream(),
            new HalfClosingOutputStream(socket.getOutputStream(), socket::shutdownOutput),
            socket, Attributes.EMPTY);
      });
      try (Socket peer = server.accept()) {
        assertTrue(future.cancel(true));
        cancelled.countDown();
        peer.setSoTimeout(10_000);
        assertEquals(-1, peer.getInputStream().read(), "the abandoned connection sent bytes");
      }
      assertThrows(CancellationException.class, future::join);
    }
  }

  @Test
  void aFailedConnectFailsTheFutureWithItsOwnException() {
    IOException refused = new IOException("connect to loopback failed: connection refused");
    CompletableFuture<Connection> future = connector.connect("loopback", () -> {
      throw refused;
    });
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> future.get(10, TimeUnit.SECONDS));
    assertSame(refused, e.getCause());
  }

  @Test
  void anUncheckedFailureBecomesAnIoExceptionNamingTheTarget() {
    CompletableFuture<Connection> future = connector.connect("shm:/run/app.sock", () -> {
      throw new IllegalStateException("a bug");
    });
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> future.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.toString());
    assertTrue(e.getCause().getMessage().contains("connect to shm:/run/app.sock failed"),
        e.getCause().getMessage());
    assertTrue(e.getCause().getCause() instanceof IllegalStateException, e.toString());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
