package dev.plumb.rpc.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PayloadPoolTest {
  private final PayloadPool pool = new PayloadPool();

  @Test
  void lengthsOutsideTheClassesAreNotPooled() {
    assertNull(pool.take(PayloadPool.SMALLEST - 1));
    assertNull(pool.take(PayloadPool.LARGEST + 1));
  }

  @Test
  void arraysComeInPowerOfTwoClasses() {
    assertEquals(1024, pool.take(1024).array().length);
    assertEquals(2048, pool.take(1025).array().length);
    assertEquals(64 * 1024, pool.take(64 * 1024).array().length);
    assertEquals(128 * 1024, pool.take(64 * 1024 + 5).array().length);
    assertEquals(PayloadPool.LARGEST, pool.take(PayloadPool.LARGEST).array().length);
  }

  @Test
  void theLastReleaseLendsTheArrayAgain() {
    PooledBytes first = pool.take(5000);
    byte[] array = first.array();
    first.retain();
    first.release();
    assertEquals(0, pool.freeArrays(5000), "given back while a holder remained");
    assertNotSame(array, pool.take(5000).array());
    first.release();
    assertEquals(1, pool.freeArrays(5000));
    assertSame(array, pool.take(8192).array(), "same class, same array");
    assertEquals(0, pool.freeArrays(5000));
  }

  @Test
  void releasingTooOftenFailsLoudly() {
    PooledBytes bytes = pool.take(4096);
    bytes.release();
    assertThrows(IllegalStateException.class, bytes::release);
    assertThrows(IllegalStateException.class, bytes::retain);
    assertEquals(1, pool.freeArrays(4096), "the array went back once");
  }

  @Test
  void concurrentRetainsAfterTheLastReleaseAllFail() throws Exception {
    PooledBytes bytes = pool.take(4096);
    bytes.release();
    int threads = 2;
    int attempts = 200_000;
    AtomicInteger resurrected = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService retainers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(retainers.submit(() -> {
          start.await();
          for (int i = 0; i < attempts; i++) {
            try {
              bytes.retain();
              resurrected.incrementAndGet();
            } catch (IllegalStateException expected) {
              // What every attempt must end in.
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> each : done) {
        each.get();
      }
    } finally {
      retainers.shutdownNow();
    }
    assertEquals(0, resurrected.get(), "retains that brought a returned array back to life");
    assertEquals(0, bytes.references());
    assertEquals(1, pool.freeArrays(4096), "the array went back once");
  }

  @Test
  void eachClassKeepsABoundedNumberOfFreeArrays() {
    int size = 64 * 1024;
    int kept = PayloadPool.BYTES_PER_CLASS / size;
    PooledBytes[] taken = new PooledBytes[kept + 10];
    for (int i = 0; i < taken.length; i++) {
      taken[i] = pool.take(size);
    }
    for (PooledBytes bytes : taken) {
      bytes.release();
    }
    assertEquals(kept, pool.freeArrays(size));
    int largest = PayloadPool.LARGEST;
    pool.take(largest).release();
    pool.take(largest);
    PooledBytes a = pool.take(largest);
    PooledBytes b = pool.take(largest);
    PooledBytes c = pool.take(largest);
    a.release();
    b.release();
    c.release();
    assertEquals(2, pool.freeArrays(largest), "at least two, however large");
  }

  @Test
  void aSplitFrameKeepsTheArrayUntilBothPartsAreReleased() {
    PooledBytes bytes = pool.take(3000);
    for (int i = 0; i < 3000; i++) {
      bytes.array()[i] = (byte) i;
    }
    Frame whole = Frame.pooled(FrameType.DATA, Frame.FLAG_END_STREAM, 0, bytes, 3000);
    Frame front = whole.splitFront(0, 7, 1000);
    Frame rest = whole.reissue(whole.flags(), 7);

    assertEquals(1000, front.payloadLength());
    assertEquals(2000, rest.payloadLength());
    assertEquals((byte) 999, front.payload().get(999));
    assertEquals((byte) 1000, rest.payload().get(rest.payload().position()));
    assertEquals(7, rest.streamId());
    assertEquals(Frame.FLAG_END_STREAM, rest.flags());
    rest.release();
    assertEquals(0, pool.freeArrays(3000));
    front.release();
    assertEquals(1, pool.freeArrays(3000));
  }

  @Test
  void framesWithoutALentArrayIgnoreRelease() {
    Frame frame = Frame.of(FrameType.DATA, 0, 1, ByteBuffer.allocate(10));
    frame.release();
    frame.release();
    assertNull(frame.pooledBytes());
  }
}
