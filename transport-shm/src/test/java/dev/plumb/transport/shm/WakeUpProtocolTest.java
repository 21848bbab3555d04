package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The doorbell protocol's ordering ({@link ConsumerTurn}'s and {@link RingWaits}' sleeps,
 * {@link SpscRing}'s flags): a sleeper
 * never misses a record or space published around its announcement, and a waker rings at most
 * once per announcement. The first tests place the publication at the exact points that would
 * lose a wake-up without the re-check; the stress tests run the real interleavings many times,
 * each wait bounded, so a lost wake-up fails the test instead of hanging it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeUpProtocolTest {
  private static final int CAPACITY = 4096;
  private static final long LOST_AFTER_MILLIS = 5_000;

  private static SpscRing newRing() {
    return new SpscRing(ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY)),
        CAPACITY);
  }

  /** Another view of the same memory: the other side's thread has its own producer/consumer state. */
  private static SpscRing[] pair() {
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY));
    return new SpscRing[] {new SpscRing(memory, CAPACITY), new SpscRing(memory, CAPACITY)};
  }

  private static boolean publish(SpscRing producer, int value) {
    return RingRecords.offer(producer, ByteBuffer.allocate(4).putInt(0, value));
  }

  /**
   * Runs {@code body} on a thread and waits for it, at most {@link #LOST_AFTER_MILLIS}; a thread
   * still parked then lost its wake-up: it is unparked (so nothing is left behind) and the
   * test fails.
   */
  private static void assertReturnsPromptly(String what, Runnable body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "wake-up-test");
    thread.start();
    thread.join(LOST_AFTER_MILLIS);
    boolean lost = thread.isAlive();
    while (thread.isAlive()) {
      LockSupport.unpark(thread);
      thread.join(100);
    }
    assertFalse(lost, what + ": the sleeper was still parked after " + LOST_AFTER_MILLIS
        + " ms (a lost wake-up)");
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @Test
  void aRecordPublishedJustBeforeTheAnnouncementIsSeenByTheReCheck() throws Exception {
    SpscRing[] ring = pair();
    SpscRing consumer = ring[0];
    SpscRing producer = ring[1];
    assertEquals(0, consumer.poll(payload -> { }, 1), "empty at first");
    // The producer publishes after the consumer's empty poll, before its announcement: the
    // producer sees no flag, so no doorbell comes. Only the re-check can see the record.
    assertTrue(publish(producer, 1));
    assertFalse(producer.takeConsumerSleeps(), "nobody announced yet: no doorbell");
    assertReturnsPromptly("record before the announcement",
        () -> new ConsumerTurn(consumer).readerSleepsUntilRecord(() -> false, this));
    assertEquals(1, consumer.poll(payload -> assertEquals(1, payload.getInt(0)), 10));
  }

  @Test
  void aRecordPublishedWhileTheConsumerSleepsRingsExactlyOnce() throws Exception {
    SpscRing[] ring = pair();
    SpscRing consumer = ring[0];
    SpscRing producer = ring[1];
    Thread sleeper = new Thread(
        () -> new ConsumerTurn(consumer).readerSleepsUntilRecord(() -> false, this), "sleeper");
    sleeper.start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOST_AFTER_MILLIS);
    while (sleeper.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.yield();  // Until it has announced, re-checked and parked.
    }
    assertEquals(Thread.State.WAITING, sleeper.getState(), "the consumer never parked");
    assertTrue(publish(producer, 2));
    assertTrue(producer.takeConsumerSleeps(), "the consumer announced: ring");
    LockSupport.unpark(sleeper);
    assertTrue(publish(producer, 3));
    assertFalse(producer.takeConsumerSleeps(), "one announcement, one doorbell");
    sleeper.join(LOST_AFTER_MILLIS);
    boolean lost = sleeper.isAlive();
    LockSupport.unpark(sleeper);
    assertFalse(lost, "the doorbell did not wake the consumer");
    assertEquals(2, consumer.poll(payload -> { }, 10));
  }

  @Test
  void spaceFreedJustBeforeTheAnnouncementIsSeenByTheReCheck() throws Exception {
    SpscRing[] ring = pair();
    SpscRing producer = ring[0];
    SpscRing consumer = ring[1];
    int filled = 0;
    while (publish(producer, filled)) {
      filled++;
    }
    assertFalse(producer.hasRoomFor(4));
    // The consumer frees space before the producer announces: no doorbell will come.
    assertEquals(filled, consumer.poll(payload -> { }, Integer.MAX_VALUE));
    assertFalse(consumer.takeProducerWaits(), "nobody announced yet: no doorbell");
    assertReturnsPromptly("space before the announcement",
        () -> RingWaits.sleepUntilRoom(producer, 4, () -> false, 0, this));
    assertTrue(publish(producer, -1));
  }

  @Test
  void stoppingEndsASleepThatNoDoorbellWillEnd() throws Exception {
    SpscRing consumer = newRing();
    boolean[] stopping = {false};
    Thread[] sleeper = new Thread[1];
    CountDownLatch started = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      try {
        started.await();
        synchronized (stopping) {
          stopping[0] = true;
        }
        LockSupport.unpark(sleeper[0]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stopper.start();
    assertReturnsPromptly("stop", () -> {
      sleeper[0] = Thread.currentThread();
      started.countDown();
      ConsumerTurn turn = new ConsumerTurn(consumer);
      boolean stopped = false;
      while (!stopped) {
        turn.readerSleepsUntilRecord(() -> {
          synchronized (stopping) {
            return stopping[0];
          }
        }, this);
        synchronized (stopping) {
          stopped = stopping[0];
        }
      }
    });
    stopper.join();
  }

  /**
   * A consumer that sleeps as soon as it finds the ring empty (no spin phase, so it sleeps as
   * often as possible) and a producer that publishes at random moments, ringing only when it
   * takes the flag: every record arrives, and no wait outlasts {@link #LOST_AFTER_MILLIS}.
   */
  @Test
  void aHundredThousandHandOffsLoseNoWakeUp() throws Exception {
    SpscRing[] ring = pair();
    SpscRing consumer = ring[0];
    SpscRing producer = ring[1];
    int records = 100_000;
    AtomicLong doorbells = new AtomicLong();
    Thread[] consumerThread = new Thread[1];
    CountDownLatch consumerKnown = new CountDownLatch(1);
    Thread producerThread = new Thread(() -> {
      Random random = new Random(5);
      try {
        consumerKnown.await();
      } catch (InterruptedException e) {
        return;
      }
      for (int i = 0; i < records; i++) {
        while (!publish(producer, i)) {
          Thread.onSpinWait();
        }
        if (producer.takeConsumerSleeps()) {
          doorbells.incrementAndGet();
          LockSupport.unpark(consumerThread[0]);
        }
        for (int spin = random.nextInt(64); spin > 0; spin--) {
          Thread.onSpinWait();
        }
      }
    }, "producer");
    producerThread.start();
    int[] next = {0};
    ConsumerTurn turn = new ConsumerTurn(consumer);
    assertReturnsPromptly("hand-offs", () -> {
      consumerThread[0] = Thread.currentThread();
      consumerKnown.countDown();
      while (next[0] < records) {
        int handled = consumer.poll(payload -> {
          assertEquals(next[0], payload.getInt(0));
          next[0]++;
        }, 64);
        if (handled == 0) {
          long before = System.nanoTime();
          turn.readerSleepsUntilRecord(() -> false, this);
          long slept = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
          if (slept >= LOST_AFTER_MILLIS) {
            throw new AssertionError("a sleep of " + slept + " ms: a lost wake-up");
          }
        }
      }
    });
    producerThread.join();
    assertEquals(records, next[0]);
    assertTrue(doorbells.get() > 0, "the consumer never slept: the test tested nothing");
  }

  /** The same for space: a producer that sleeps whenever the ring is full, a slow consumer. */
  @Test
  void aFullRingLosesNoSpaceWakeUp() throws Exception {
    SpscRing[] ring = pair();
    SpscRing producer = ring[0];
    SpscRing consumer = ring[1];
    int records = 100_000;
    AtomicLong doorbells = new AtomicLong();
    Thread[] producerThread = new Thread[1];
    CountDownLatch producerKnown = new CountDownLatch(1);
    int[] received = {0};
    Thread consumerThread = new Thread(() -> {
      try {
        producerKnown.await();
      } catch (InterruptedException e) {
        return;
      }
      Random random = new Random(6);
      while (received[0] < records) {
        int handled = consumer.poll(payload -> {
          assertEquals(received[0], payload.getInt(0));
          received[0]++;
        }, 1 + random.nextInt(8));
        if (handled > 0 && consumer.takeProducerWaits()) {
          doorbells.incrementAndGet();
          LockSupport.unpark(producerThread[0]);
        }
        for (int spin = random.nextInt(64); spin > 0; spin--) {
          Thread.onSpinWait();
        }
      }
    }, "consumer");
    consumerThread.start();
    assertReturnsPromptly("space", () -> {
      producerThread[0] = Thread.currentThread();
      producerKnown.countDown();
      for (int i = 0; i < records; i++) {
        while (!publish(producer, i)) {
          long before = System.nanoTime();
          RingWaits.sleepUntilRoom(producer, 4, () -> false, 0, this);
          long slept = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
          if (slept >= LOST_AFTER_MILLIS) {
            throw new AssertionError("a sleep of " + slept + " ms: a lost wake-up");
          }
        }
      }
    });
    consumerThread.join(LOST_AFTER_MILLIS);
    assertFalse(consumerThread.isAlive());
    assertEquals(records, received[0]);
    assertTrue(doorbells.get() > 0, "the producer never slept: the test tested nothing");
  }
}
