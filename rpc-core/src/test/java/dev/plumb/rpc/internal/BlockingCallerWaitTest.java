package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.idle.IdleBudget;
import dev.plumb.rpc.spi.CallerRead;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking caller's brief wait: until the response, within the budget's awake phases, a
 * limited number of callers at a time, reading the link itself when the transport gives it a
 * turn. Time is the test's: it moves only when a poll moves it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BlockingCallerWaitTest {
  private static final long AWAKE_NANOS =
      TimeUnit.MICROSECONDS.toNanos(IdleBudget.YIELD_UNTIL_MICROS);

  private final AtomicLong now = new AtomicLong();
  private final BlockingCallerWait wait =
      new BlockingCallerWait(IdleBudget.forProcessors(1), 1, now::get);

  @Test
  void pollsUntilTheResponseArrives() {
    AtomicInteger polls = new AtomicInteger();
    assertTrue(wait.await(() -> polls.incrementAndGet() == 3, null));
    assertEquals(3, polls.get());
  }

  @Test
  void readsTheLinkBetweenLooksWhenGivenATurn() {
    AtomicInteger polls = new AtomicInteger();
    AtomicBoolean answered = new AtomicBoolean();
    CallerRead turn = new CallerRead() {
      @Override
      public boolean poll() {
        answered.set(polls.incrementAndGet() == 3);  // The third poll delivers the answer.
        return answered.get();
      }

      @Override
      public void close() {
      }
    };
    assertTrue(wait.await(answered::get, turn));
    assertEquals(3, polls.get());
  }

  @Test
  void givesUpWhenTheAwakePhasesAreOver() {
    AtomicInteger polls = new AtomicInteger();
    assertFalse(wait.await(() -> {
      polls.incrementAndGet();
      now.addAndGet(AWAKE_NANOS / 2);
      return false;
    }, null));
    assertEquals(2, polls.get(), "polled at 0 and half-way, gave up at the end");
  }

  @Test
  void callersBeyondTheLimitDoNotWait() throws Exception {
    CountDownLatch firstWaits = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> wait.await(() -> {
      firstWaits.countDown();
      await(release);
      return true;
    }, null));
    assertTrue(firstWaits.await(5, TimeUnit.SECONDS));
    AtomicInteger polls = new AtomicInteger();
    assertFalse(wait.await(() -> polls.incrementAndGet() > 1, null));
    assertEquals(1, polls.get(), "the second caller looked once and did not wait");
    release.countDown();
    assertTrue(first.get(5, TimeUnit.SECONDS));
    assertTrue(wait.await(() -> polls.incrementAndGet() > 2, null), "the place was given back");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
