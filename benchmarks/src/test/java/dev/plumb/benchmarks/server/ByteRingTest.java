package dev.plumb.benchmarks.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The raw shared-memory ring within one JVM, a writer thread and a reader thread over one
 * direct buffer: bytes arrive whole and in order across many wrap-arounds, and closing ends the
 * stream for the reader and fails a writer that waits for room. (Across two JVMs and a mapped
 * file it runs in DriverSmokeTest's raw shm row.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ByteRingTest {
  private static final int CAPACITY = 4096;

  @Test
  void bytesArriveWholeAndInOrderAcrossWrapArounds() throws Exception {
    ByteRing ring = new ByteRing(ByteBuffer.allocateDirect(ByteRing.length(CAPACITY)), CAPACITY);
    byte[] data = new byte[1 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 131 + (i >>> 11));
    }
    OutputStream out = ring.out();
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try {
        // Writes of odd sizes, some larger than the ring, so copies split at its end.
        int at = 0;
        for (int step = 1; at < data.length; step = step * 7 % 9_973 + 1) {
          int n = Math.min(step, data.length - at);
          out.write(data, at, n);
          at += n;
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, runnable -> new Thread(runnable, "ring-writer").start());

    byte[] received = new byte[data.length];
    InputStream in = ring.in();
    int at = 0;
    while (at < received.length) {
      int n = in.read(received, at, Math.min(1_000, received.length - at));
      if (n < 0) {
        break;
      }
      at += n;
    }
    written.get();
    assertEquals(data.length, at);
    assertArrayEquals(data, received);
  }

  @Test
  void closingEndsTheReadersStreamAfterWhatWasWritten() throws Exception {
    ByteRing ring = new ByteRing(ByteBuffer.allocateDirect(ByteRing.length(CAPACITY)), CAPACITY);
    ring.out().write(new byte[] {1, 2, 3});
    ring.close();
    InputStream in = ring.in();
    byte[] received = new byte[8];
    assertEquals(3, in.read(received));
    assertEquals(-1, in.read(received));
  }

  @Test
  void closingFailsAWriterThatWaitsForRoom() throws Exception {
    ByteRing ring = new ByteRing(ByteBuffer.allocateDirect(ByteRing.length(CAPACITY)), CAPACITY);
    OutputStream out = ring.out();
    out.write(new byte[CAPACITY]);
    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
      try {
        out.write(new byte[] {1});
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, runnable -> new Thread(runnable, "ring-writer").start());
    ring.close();
    ExecutionException failure = assertThrows(ExecutionException.class, blocked::get);
    assertEquals(IOException.class, failure.getCause().getCause().getClass());
  }
}
