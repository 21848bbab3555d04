package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed connections give their segment's mappings back at once, not when a garbage collection
 * finds them: after {@link #CYCLES} connect-and-close cycles with both ends in this JVM, and
 * every connection object still reachable (so no collection could have unmapped anything),
 * {@code /proc/self/maps} holds no more segment mappings than before.
 */
@Timeout(120)
class ShmSegmentReleaseTest {
  private static final int CYCLES = 200;
  private static final long PROMPTLY_MILLIS = 5_000;

  @TempDir
  Path sockets;

  /** Mappings of shm: segments made by this process (both ends map the server's file). */
  private static long mappedSegments() throws IOException {
    String ours = Segment.DIRECTORY.resolve(Segment.PREFIX + ProcessHandle.current().pid() + "-")
        .toString();
    try (Stream<String> lines = Files.lines(Paths.get("/proc/self/maps"))) {
      return lines.filter(line -> line.contains(ours)).count();
    }
  }

  private static void closeAndAwait(Connection connection, ClosingHandler handler)
      throws InterruptedException {
    connection.close(Status.CANCELLED.withDescription("cycle over"));
    assertNotNull(handler.awaitClose(PROMPTLY_MILLIS), "close did not end the connection");
  }

  @Test
  void closedConnectionsUnmapTheirSegmentsWithoutACollection() throws Exception {
    PlumbAddress address = TransportRegistry.getDefault().parse("shm://"
        + sockets.resolve("release.sock") + "?ringSize=4k");
    PlumbTransport transport = TransportRegistry.getDefault().transportFor(address);
    BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    List<Connection> reachable = new ArrayList<>();
    long before = mappedSegments();
    try (Listener listener = transport.listen(address, accepted::add)) {
      PlumbAddress bound = TransportRegistry.getDefault().parse(
          listener.boundAddress().toString());
      for (int i = 0; i < CYCLES; i++) {
        Connection client = transport.connect(bound).get(10, TimeUnit.SECONDS);
        Connection server = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(server, "cycle " + i + ": nothing accepted");
        ClosingHandler clientHandler = new ClosingHandler();
        ClosingHandler serverHandler = new ClosingHandler();
        clientHandler.start(client);
        serverHandler.start(server);
        closeAndAwait(client, clientHandler);
        closeAndAwait(server, serverHandler);
        reachable.add(client);
        reachable.add(server);
      }
    }
    long after = mappedSegments();
    System.out.println("shm: segment mappings before " + CYCLES + " connect-and-close cycles: "
        + before + ", after: " + after + " (" + reachable.size() + " connections reachable)");
    assertTrue(after <= before, after + " segment mappings after " + CYCLES + " cycles, "
        + before + " before");
  }
}
