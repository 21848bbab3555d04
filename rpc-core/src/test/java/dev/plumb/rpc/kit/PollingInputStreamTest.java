package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.rpc.idle.IdleBudget;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The latency mode's reads: what the link holds, whenever it comes, and its end and errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PollingInputStreamTest {
  private final PipedOutputStream out = new PipedOutputStream();
  private final PipedInputStream link = new PipedInputStream(64);
  private final PollingInputStream in;

  PollingInputStreamTest() throws IOException {
    link.connect(out);
    in = new PollingInputStream(link, IdleBudget.forProcessors(1));
  }

  @Test
  void readsWhatTheLinkHolds() throws IOException {
    out.write(new byte[] {1, 2, 3});
    byte[] buffer = new byte[8];
    assertEquals(3, in.read(buffer, 0, buffer.length));
    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(buffer, 3));
  }

  @Test
  void aReadOfAnEmptyLinkReturnsWhatArrivesAfterwardsPolledOrBlocked() throws Exception {
    CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
      try {
        return in.read();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    out.write(42);
    assertEquals(42, read.get(5, TimeUnit.SECONDS));
  }

  @Test
  void theEndAndTheErrorsOfTheLinkAreTheReadsOwn() throws IOException {
    out.close();
    assertEquals(-1, in.read(new byte[4], 0, 4));
    link.close();
    assertThrows(IOException.class, () -> in.read(new byte[4], 0, 4));
  }
}
