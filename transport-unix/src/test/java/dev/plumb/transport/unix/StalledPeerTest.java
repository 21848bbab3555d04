package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.OutcomeResponse;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import dev.plumb.rpc.testing.FrozenPeer;
import dev.plumb.rpc.testing.RawFrames;
import dev.plumb.rpc.testing.ServerProcess;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A peer that stops reading, or freezes altogether, must not hold up the end of a connection:
 * shutting down and keep-alive failures finish within a bound, whatever the peer does.
 */
@Timeout(60)
class StalledPeerTest {
  /** A connection's close ends its link within about 2 s; the rest is slack for a busy machine. */
  private static final long SHUTDOWN_BOUND_MILLIS = 5_000;

  @TempDir
  Path dir;

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aServerShutsDownPromptlyWhileAClientStopsReadingALargeStream() throws Exception {
    Server server = cleanup.add(ConformanceServerMain.start("unix://" + dir.resolve("s.sock")));
    String address = server.getListenSockets().get(0).toString();
    try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(
        Path.of(address.substring("unix://".length()))))) {
      raw.getOutputStream().write(RawFrames.serverStreamCall(EchoRequest.newBuilder()
          .setTag("unread").setResponseCount(1_000_000).setResponseSize(64 * 1024).build()));
      raw.getOutputStream().flush();
      // Once its producer is held back, the server has handed the client's whole stream window
      // (1 MiB) to the link, more than a Unix socket buffers: its writer is stuck for good.
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address).build());
      OutcomeResponse outcome = ConformanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .outcome(OutcomeRequest.newBuilder().setTag("unread")
              .setUntil(OutcomeRequest.Until.PRODUCER_BLOCKED).setWaitMillis(20_000).build());
      assertTrue(outcome.getProducerBlocked(), outcome.toString());

      long start = System.nanoTime();
      server.shutdownNow();
      boolean terminated = server.awaitTermination(SHUTDOWN_BOUND_MILLIS, TimeUnit.MILLISECONDS);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(terminated, "the server did not terminate within " + SHUTDOWN_BOUND_MILLIS
          + " ms of shutdownNow while a client did not read");
      // And the link is closed: the client reads what was sent, then the end.
      raw.setSoTimeout((int) SHUTDOWN_BOUND_MILLIS);
      assertEndOfStream(raw.getInputStream());
      System.out.println("shutdownNow + awaitTermination with a client that stopped reading: "
          + elapsed + " ms");
    }
  }

  @Test
  void callsFailAtKeepAliveTimeWhenTheServerFreezes() throws Exception {
    ServerProcess server = cleanup.add(ServerProcess.start("unix://" + dir.resolve("f.sock")));
    try {
      ManagedChannel channel = cleanup.add(FrozenPeer.channel(server.address()));
      long elapsed = FrozenPeer.assertCallFailsAtKeepAlive(channel, server.pid());
      System.out.println("unix: call failed " + elapsed + " ms after the server froze");
    } finally {
      server.kill();
    }
  }

  private static void assertEndOfStream(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        // What the server wrote before it closed.
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server's end of the link is still open", e);
    } catch (IOException e) {
      // Reset: the server closed with data the client never read. Closed all the same.
    }
  }
}
