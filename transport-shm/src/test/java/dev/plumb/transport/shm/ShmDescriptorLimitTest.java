package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AcceptingListener;
import io.grpc.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that sends descriptors over the rendezvous socket that no ATTACH record claims: the
 * receiver holds at most its {@code maxAttachmentDescriptors} of them ({@code
 * ConnectionHandler.maxDescriptors}), one more ends the connection with RESOURCE_EXHAUSTED, and
 * every descriptor that came is closed with it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShmDescriptorLimitTest {
  private static final int LIMIT = 4;

  @TempDir
  Path sockets;
  private AcceptingListener listening;

  @AfterEach
  void cleanUp() {
    if (listening != null) {
      listening.close();
    }
  }

  @Test
  void oneDescriptorMoreThanTheLimitAheadOfItsFramesEndsTheConnection() throws Exception {
    listening = AcceptingListener.on("shm://" + sockets.resolve("limit.sock"));
    long before = openDevNulls();
    AcceptingListener.Ends ends = listening.connect();
    Connection client = ends.client();
    Connection server = ends.server();
    ClosingHandler serverSide = new ClosingHandler(LIMIT);
    ClosingHandler clientSide = new ClosingHandler();
    serverSide.start(server);
    clientSide.start(client);

    // Frames that claim no descriptor (PINGs), each carrying one: the fifth is one too many.
    for (int i = 0; i <= LIMIT; i++) {
      client.write(ControlFrames.ping(0, i),
          new RandomAccessFile[] {new RandomAccessFile("/dev/null", "r")});
    }
    client.flush();

    Status status = serverSide.awaitClose(10_000);
    assertNotNull(status, "the server's side did not end within 10 s");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
    assertTrue(status.getDescription().contains("the peer sent more descriptors than the "
        + LIMIT + " this side holds for attachments (maxAttachmentDescriptors) ahead of the"
        + " ATTACH records that claim them"), status.getDescription());
    assertNotNull(clientSide.awaitClose(10_000), "the client's side did not end within 10 s");
    // Both ends are closed: what either held of the five is closed too.
    assertEquals(before, openDevNulls(), "descriptors of /dev/null still open");
  }

  /** This process's open descriptors of {@code /dev/null}, which only this test opens. */
  private static long openDevNulls() throws IOException {
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      return descriptors.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().equals("/dev/null");
        } catch (IOException e) {
          return false;  // Closed while listed.
        }
      }).count();
    }
  }
}
