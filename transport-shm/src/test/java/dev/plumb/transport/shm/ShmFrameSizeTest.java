package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AcceptingListener;
import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A max frame size the ring cannot hold ends the connection at start, saying both numbers. */
@Timeout(30)
class ShmFrameSizeTest {
  @TempDir
  Path sockets;

  @Test
  void framesLargerThanTheRingCanHoldAreRefusedAtStart() throws Exception {
    try (AcceptingListener listening =
        AcceptingListener.on("shm://" + sockets.resolve("small.sock") + "?ringSize=64k")) {
      AcceptingListener.Ends ends = listening.connect();
      Connection client = ends.client();
      Connection server = ends.server();
      RecordingHandler serverHandler = new RecordingHandler(64 * 1024);
      server.start(serverHandler);
      Status status = serverHandler.awaitClosedForTest();
      assertEquals(Status.Code.UNAVAILABLE, status.getCode());
      assertTrue(status.getDescription().contains("frames of up to 65536 bytes (this side's max"
          + " frame size) do not fit the shm: ring, whose records hold at most 32750 payload"
          + " bytes; raise ringSize"), status.toString());
      RecordingHandler clientHandler = new RecordingHandler(16 * 1024);
      client.start(clientHandler);
      assertEquals(Status.Code.UNAVAILABLE, clientHandler.awaitClosedForTest().getCode());
    }
  }
}
