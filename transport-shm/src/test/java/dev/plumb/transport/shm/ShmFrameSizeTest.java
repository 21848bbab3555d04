package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
    PlumbAddress address = TransportRegistry.getDefault()
        .parse("shm://" + sockets.resolve("small.sock") + "?ringSize=64k");
    PlumbTransport transport = TransportRegistry.getDefault().transportFor(address);
    BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    try (Listener listener = transport.listen(address, accepted::add)) {
      Connection client = transport.connect(listener.boundAddress()).get(10, TimeUnit.SECONDS);
      Connection server = accepted.poll(10, TimeUnit.SECONDS);
      assertNotNull(server);
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
