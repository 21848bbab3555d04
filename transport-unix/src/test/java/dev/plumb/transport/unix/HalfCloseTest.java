package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A connection ends its output with a half-close that works on accepted and connected sockets
 * alike, on every JDK: the peer reads to the end at once, and this side can still read. On
 * JDK 25, java.net.Socket.shutdownOutput refuses junixsocket's accepted sockets, and the core
 * then waited seconds for a peer that never saw the end of the stream.
 */
@Timeout(10)
class HalfCloseTest {
  @TempDir
  Path dir;

  @Test
  void theAcceptedEndCanHalfClose() throws Exception {
    withPair((accepted, connected) -> assertHalfCloses(accepted, connected));
  }

  @Test
  void theConnectingEndCanHalfClose() throws Exception {
    withPair((accepted, connected) -> assertHalfCloses(connected, accepted));
  }

  interface PairTest {
    void run(AFUNIXSocket accepted, AFUNIXSocket connected) throws Exception;
  }

  private void withPair(PairTest test) throws Exception {
    AFUNIXSocketAddress address = AFUNIXSocketAddress.of(dir.resolve("half.sock"));
    try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(address)) {
      CompletableFuture<AFUNIXSocket> accepted = new CompletableFuture<>();
      Thread acceptor = new Thread(() -> {
        try {
          accepted.complete(server.accept());
        } catch (java.io.IOException e) {
          accepted.completeExceptionally(e);
        }
      });
      acceptor.start();
      try (AFUNIXSocket connected = AFUNIXSocket.connectTo(address);
          AFUNIXSocket acceptedEnd = accepted.get(5, TimeUnit.SECONDS)) {
        test.run(acceptedEnd, connected);
      }
    }
  }

  private static void assertHalfCloses(AFUNIXSocket closing, AFUNIXSocket peer) throws Exception {
    OutputStream out = UnixTransport.halfClosingOutput(closing);
    out.write(new byte[] {42}, 0, 1);
    out.close();
    assertEquals(42, peer.getInputStream().read());
    assertEquals(-1, peer.getInputStream().read(), "the peer did not see the end");
    // Still open the other way.
    peer.getOutputStream().write(7);
    peer.getOutputStream().flush();
    assertEquals(7, closing.getInputStream().read());
  }
}
