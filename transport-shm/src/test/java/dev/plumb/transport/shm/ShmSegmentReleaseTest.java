package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AcceptingListener;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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
    List<Connection> reachable = new ArrayList<>();
    long before = mappedSegments();
    try (AcceptingListener listening = AcceptingListener.on("shm://"
        + sockets.resolve("release.sock") + "?ringSize=4k")) {
      for (int i = 0; i < CYCLES; i++) {
        AcceptingListener.Ends ends = listening.connect();
        Connection client = ends.client();
        Connection server = ends.server();
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
