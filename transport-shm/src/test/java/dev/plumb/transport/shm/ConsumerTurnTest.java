package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The consumer turn between a connection's reader and blocking callers ({@link ConsumerTurn}):
 * one holder at a time, and no record left unread when a caller gives the turn back, whatever
 * the peer publishes around it. The stress test runs the real reader loop's steps, a caller
 * taking turns as a blocking stub's does, and a peer that rings only when the flag asks; every
 * wait is bounded, so a lost wake-up fails the test instead of hanging it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerTurnTest {
  private static final int CAPACITY = 4096;
  private static final long LOST_AFTER_MILLIS = 5_000;

  private final ByteBuffer memory =
      ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY));
  /** The consumer's and the producer's views of one ring: each side has its own state. */
  private final SpscRing consumer = new SpscRing(memory, CAPACITY);
  private final SpscRing producer = new SpscRing(memory, CAPACITY);
  private final ConsumerTurn turn = new ConsumerTurn(consumer);

  @Test
  void oneHolderAtATimeAndClosingKeepsCallersOut() throws Exception {
    turn.setReader(Thread.currentThread());
    assertTrue(turn.readerTakes());
    assertFalse(onOtherThread(turn::takeForCaller), "the reader holds it");
    turn.readerReleases();
    assertTrue(onOtherThread(() -> {
      boolean took = turn.takeForCaller();
      turn.giveBackFromCaller(false);
      return took;
    }));
    assertTrue(turn.closeForGood(LOST_AFTER_MILLIS));
    assertFalse(onOtherThread(turn::takeForCaller), "closed for good");
    assertFalse(turn.readerTakes(), "closed for good");
  }

  @Test
  void aCallerTakingTheTurnSilencesTheDoorbellAndGivingItBackRestoresIt() {
    turn.setReader(new Thread(() -> { }));
    assertTrue(turn.takeForCaller());
    publish(1);
    assertFalse(producer.takeConsumerSleeps(), "a caller polls: no doorbell");
    assertEquals(1, consumer.poll(payload -> { }, 10));
    turn.giveBackFromCaller(false);
    publish(2);
    assertTrue(producer.takeConsumerSleeps(), "the sleeping reader is rung once a caller left");
  }

  @Test
  void aRecordThatCameBeforeTheGiveBackWakesTheReader() throws Exception {
    Thread reader = new Thread(() -> LockSupport.park(this), "parked-reader");
    turn.setReader(reader);
    reader.start();
    assertTrue(turn.takeForCaller());
    publish(1);
    turn.giveBackFromCaller(false);
    reader.join(LOST_AFTER_MILLIS);
    boolean lost = reader.isAlive();
    LockSupport.unpark(reader);
    assertFalse(lost, "the record in the ring was left to a parked reader");
    assertFalse(producer.takeConsumerSleeps(), "the reader was told directly, not by the peer");
  }

  /**
   * Rounds of a blocking call: the caller takes the turn, the peer publishes one to three
   * records at random moments, the caller polls for a random while (reading all, some or none of
   * them) and gives the turn back; whatever it left must reach the reader, woken by a doorbell
   * or by the caller, within {@link #LOST_AFTER_MILLIS}. Records arrive once each, in order.
   */
  @Test
  void callersTakingTurnsLeaveNoRecordUnread() throws Exception {
    int rounds = 20_000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Delivery delivery = new Delivery();
    Thread reader = new Thread(() -> readLoop(delivery, failure), "reader");
    turn.setReader(reader);
    reader.start();
    Peer peer = new Peer(reader);
    Thread peerThread = new Thread(() -> peer.run(rounds), "peer");
    peerThread.start();
    Random random = new Random(7);
    long callerReads = 0;
    try {
      for (int round = 0; round < rounds && failure.get() == null; round++) {
        while (!turn.takeForCaller()) {
          Thread.onSpinWait();  // The reader's poll is brief.
        }
        peer.go(round);
        for (int polls = random.nextInt(4); polls > 0; polls--) {
          callerReads += consumer.poll(delivery::check, 64);
          spin(random.nextInt(200));
        }
        turn.giveBackFromCaller(false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOST_AFTER_MILLIS);
        while (peer.finishedRound != round || delivery.next != peer.published) {
          if (System.nanoTime() - deadline > 0) {
            throw new AssertionError("round " + round + ": " + (peer.published - delivery.next)
                + " records left unread (a lost wake-up)");
          }
          Thread.onSpinWait();
        }
      }
    } finally {
      delivery.done = true;
      LockSupport.unpark(reader);
      peer.go(Integer.MAX_VALUE);
      reader.join(LOST_AFTER_MILLIS);
      peerThread.join(LOST_AFTER_MILLIS);
    }
    assertNull(failure.get());
    assertTrue(callerReads > 0, "the caller never read: the test tested only the reader");
    assertTrue(peer.doorbells > 0, "the reader never slept: the test tested only the caller");
  }

  /** ShmConnection's reader loop, without the idle phases: it sleeps as soon as it may. */
  private void readLoop(Delivery delivery, AtomicReference<Throwable> failure) {
    try {
      while (!delivery.done) {
        if (!turn.readerTakes()) {
          turn.readerAwaitsCaller(false, this);
          continue;
        }
        int handled;
        try {
          handled = consumer.poll(delivery::check, 64);
        } finally {
          turn.readerReleases();
        }
        if (handled == 0) {
          turn.readerSleepsUntilRecord(() -> delivery.done, this);
        }
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  /** Checks the order of the records; touched only by the turn's holder. */
  private static final class Delivery {
    volatile int next;
    volatile boolean done;

    void check(ByteBuffer payload) {
      assertEquals(next, payload.getInt(0), "records out of order or twice");
      next = next + 1;
    }
  }

  /** The other process: publishes a round's records and rings when the flag says so. */
  private final class Peer {
    private final Thread reader;
    private final Random random = new Random(11);
    private volatile int round = -1;
    volatile int finishedRound = -1;
    volatile int published;
    volatile long doorbells;

    Peer(Thread reader) {
      this.reader = reader;
    }

    void go(int next) {
      round = next;
    }

    void run(int rounds) {
      for (int r = 0; r < rounds; r++) {
        while (round < r) {
          Thread.onSpinWait();
        }
        if (round == Integer.MAX_VALUE) {
          return;
        }
        for (int records = 1 + random.nextInt(3); records > 0; records--) {
          spin(random.nextInt(300));
          while (!publish(published)) {
            Thread.onSpinWait();
          }
          published = published + 1;
          if (producer.takeConsumerSleeps()) {
            doorbells = doorbells + 1;
            turn.doorbellForReader();
            LockSupport.unpark(reader);
          }
        }
        finishedRound = r;
      }
    }
  }

  private boolean publish(int value) {
    return RingRecords.offer(producer, ByteBuffer.allocate(4).putInt(0, value));
  }

  private static void spin(int times) {
    for (int i = 0; i < times; i++) {
      Thread.onSpinWait();
    }
  }

  private static boolean onOtherThread(BooleanSupplier body) throws Exception {
    boolean[] result = new boolean[1];
    Thread thread = new Thread(() -> result[0] = body.getAsBoolean(), "caller");
    thread.start();
    thread.join(LOST_AFTER_MILLIS);
    assertFalse(thread.isAlive());
    return result[0];
  }
}
