package dev.plumb.transport.shm;

import static dev.plumb.rpc.testing.RawFrames.concat;
import static dev.plumb.rpc.testing.RawFrames.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.wire.GoAway;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.testing.AbstractBadInputTest;
import dev.plumb.rpc.testing.BadInputTarget;
import dev.plumb.rpc.testing.ListeningServerTarget;
import dev.plumb.rpc.testing.ProcessResources;
import dev.plumb.rpc.testing.RawFrames;
import io.grpc.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite over shm:, through {@link ShmRawStream} (a real rendezvous, then raw ring
 * records), and what only shm: has: the rendezvous socket, the ring's counters and records.
 * ShmHostileRingTest covers a hostile server against a client; these are the server's side.
 * Besides threads and descriptors, the server's mapped segments must go back to the baseline.
 */
class ShmBadInputTest extends AbstractBadInputTest {
  @TempDir
  static Path sockets;

  @Override
  protected BadInputTarget startTarget(List<String> serverOptions) throws IOException {
    return ListeningServerTarget.start("shm://" + sockets.resolve("bad-input.sock"),
        address -> ShmRawStream.connect(Path.of(URI.create(address).getPath())), false,
        new ProcessResources().with("mapped shm: segments", ShmBadInputTest::mappedSegments, 0),
        serverOptions);
  }

  /** Segments process {@code pid} has mapped (each maps as one or more ranges of one file). */
  private static long mappedSegments(long pid) {
    try (Stream<String> maps = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
      return maps.filter(line -> line.contains(Segment.DIRECTORY + "/" + Segment.PREFIX))
          .map(line -> line.substring(line.indexOf('/'))).distinct().count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ShmRawStream openRaw() throws IOException {
    return (ShmRawStream) target().openRaw();
  }

  @Test
  void aByteOnTheRendezvousSocketThatIsNoDoorbell() throws Exception {
    try (ShmRawStream raw = openRaw()) {
      write(raw, opening());
      raw.sendOnSocket((byte) 'X');
      GoAway goAway = awaitGoAway(raw);
      assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
      assertTrue(goAway.getMessage().contains("the peer sent 0x58 on the shm: rendezvous socket,"
          + " which carries only doorbells"), goAway.getMessage());
    }
  }

  /**
   * This server takes no attachments (no shared-buffers module): a descriptor on its socket is
   * a protocol error, and the descriptor is closed (the suite checks the server's descriptors).
   */
  @Test
  void aDescriptorOnTheRendezvousSocketOfAServerThatTakesNoAttachments() throws Exception {
    try (ShmRawStream raw = openRaw();
        RandomAccessFile file = new RandomAccessFile("/dev/null", "r")) {
      write(raw, opening());
      raw.sendDescriptorOnSocket(file.getFD());
      GoAway goAway = awaitGoAway(raw);
      assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
      assertTrue(goAway.getMessage().contains("the peer sent descriptors on the shm: rendezvous"
          + " socket; this side takes no attachments"), goAway.getMessage());
    }
  }

  @Test
  void aTailBeyondTheCapacityOfTheRingTheServerReads() throws Exception {
    try (ShmRawStream raw = openRaw()) {
      write(raw, opening());
      raw.publishTail(1L << 40);
      GoAway goAway = awaitGoAway(raw);
      assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
      assertTrue(goAway.getMessage().contains("the peer's shm: ring is corrupt: the ring's tail "
          + (1L << 40) + " is not valid"), goAway.getMessage());
    }
  }

  @Test
  void aRecordHoldingTwoFrames() throws Exception {
    try (ShmRawStream raw = openRaw()) {
      raw.publishRecord(concat(hello(), RawFrames.encode(ControlFrames.ping(0, 1))));
      GoAway goAway = awaitGoAway(raw);
      assertEquals(Status.Code.INTERNAL.value(), goAway.getStatusCode());
      assertTrue(goAway.getMessage().contains("holds 2 frames; a record must hold exactly one"
          + " frame"), goAway.getMessage());
    }
  }
}
