package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SpscRingTest {
  private static final int CAPACITY = 4096;

  private static SpscRing newRing() {
    return new SpscRing(ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY)),
        CAPACITY);
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return bytes;
  }

  private static List<byte[]> drain(SpscRing ring) {
    List<byte[]> records = new ArrayList<>();
    ring.poll(payload -> {
      byte[] copy = new byte[payload.remaining()];
      payload.get(copy);
      records.add(copy);
    }, Integer.MAX_VALUE);
    return records;
  }

  @Test
  void recordsComeOutAsTheyWentIn() {
    SpscRing ring = newRing();
    assertTrue(ring.isEmpty());
    assertTrue(RingRecords.offer(ring, ByteBuffer.wrap(bytes(10, 1))));
    assertTrue(RingRecords.offer(ring, ByteBuffer.wrap(new byte[0])));
    assertTrue(RingRecords.offer(ring, ByteBuffer.wrap(bytes(100, 2))));
    List<byte[]> records = drain(ring);
    assertEquals(3, records.size());
    assertArrayEquals(bytes(10, 1), records.get(0));
    assertArrayEquals(new byte[0], records.get(1));
    assertArrayEquals(bytes(100, 2), records.get(2));
    assertTrue(ring.isEmpty());
    assertEquals(0, ring.poll(p -> { }, 10));
  }

  @Test
  void aFullRingRefusesWithoutWritingAndAcceptsOnceDrained() {
    SpscRing ring = newRing();
    int count = 0;
    while (RingRecords.offer(ring, ByteBuffer.wrap(bytes(500, count)))) {
      count++;
    }
    // 508-byte records: 8 fit in 4096 bytes.
    assertEquals(CAPACITY / RingDescriptor.recordLength(500), count);
    ByteBuffer refused = ByteBuffer.wrap(bytes(500, 99));
    assertFalse(RingRecords.offer(ring, refused));
    assertEquals(0, refused.position(), "a refused offer consumes nothing");
    assertEquals(count, drain(ring).size());
    assertTrue(RingRecords.offer(ring, refused));
  }

  @Test
  void recordsThatDoNotFitBeforeTheEndWrapWithPadding() {
    SpscRing ring = newRing();
    // Walk the tail around the ring several times with sizes that never divide it evenly.
    for (int i = 0; i < 1000; i++) {
      byte[] record = bytes(1 + (i * 37) % 1500, i);
      assertTrue(RingRecords.offer(ring, ByteBuffer.wrap(record)), "record " + i);
      List<byte[]> out = drain(ring);
      assertEquals(1, out.size());
      assertArrayEquals(record, out.get(0), "record " + i);
    }
  }

  @Test
  void aRecordLargerThanHalfTheRingIsRefusedLoudly() {
    SpscRing ring = newRing();
    assertEquals(CAPACITY / 2 - 8, ring.maxPayload());
    assertTrue(RingRecords.offer(ring, ByteBuffer.wrap(new byte[ring.maxPayload()])));
    assertThrows(IllegalArgumentException.class,
        () -> RingRecords.offer(ring, ByteBuffer.wrap(new byte[ring.maxPayload() + 1])));
  }

  @Test
  void capacityMustBeAPowerOfTwoInRange() {
    assertThrows(IllegalArgumentException.class, () -> RingDescriptor.checkCapacity(5000));
    assertThrows(IllegalArgumentException.class, () -> RingDescriptor.checkCapacity(1024));
    assertThrows(IllegalArgumentException.class, () -> new SpscRing(ByteBuffer.allocate(
        (int) RingDescriptor.ringLength(CAPACITY)), CAPACITY));
  }

  @Test
  void aProducerAndAConsumerThreadAgreeOnEveryByte() throws Exception {
    SpscRing ring = newRing();
    int records = 200_000;
    RingStress.Consumer consumer = new RingStress.Consumer(ring, records, 7);
    Thread thread = new Thread(consumer, "ring-consumer");
    thread.start();
    RingStress.produce(ring, records, 7);
    thread.join(25_000);
    assertEquals(null, consumer.failure());
    assertEquals(records, consumer.received());
  }

  @Test
  void claimedSpaceIsInvisibleUntilCommitted() {
    SpscRing ring = newRing();
    ByteBuffer space = ring.tryClaim(5);
    space.put(bytes(5, 9));
    assertTrue(ring.isEmpty(), "a claimed record is not published");
    ring.commit();
    List<byte[]> records = drain(ring);
    assertEquals(1, records.size());
    assertArrayEquals(bytes(5, 9), records.get(0));
    assertThrows(IllegalStateException.class, ring::commit);
  }

  /**
   * The counters only grow, and a peer's segment may start them anywhere: past the top of the
   * long range they wrap, and the consumer must follow, not take the wrapped tail for one
   * behind its head (found by SpscRingGuidedFuzzTest: the reader polled nothing, forever).
   */
  @Test
  void countersThatWrapPastTheTopOfTheirRangeStillDeliver() {
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY))
        .order(java.nio.ByteOrder.nativeOrder());
    long start = Long.MAX_VALUE - 15;
    memory.putLong(RingDescriptor.HEAD_OFFSET, start);
    memory.putLong(RingDescriptor.TAIL_OFFSET, start);
    SpscRing producer = new SpscRing(memory, CAPACITY);
    SpscRing consumer = new SpscRing(memory, CAPACITY);
    assertTrue(RingRecords.offer(producer, ByteBuffer.wrap(bytes(3, 1))));
    assertTrue(RingRecords.offer(producer, ByteBuffer.wrap(bytes(20, 2))));
    assertTrue(memory.getLong(RingDescriptor.TAIL_OFFSET) < 0, "the tail wrapped");
    List<byte[]> records = drain(consumer);
    assertEquals(2, records.size());
    assertArrayEquals(bytes(3, 1), records.get(0));
    assertArrayEquals(bytes(20, 2), records.get(1));
    assertTrue(consumer.isEmpty());
  }

  @Test
  void recordsThatLieOutsideTheRingAreRefusedNotFollowed() {
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY))
        .order(java.nio.ByteOrder.nativeOrder());
    SpscRing producer = new SpscRing(memory, CAPACITY);
    SpscRing consumer = new SpscRing(memory, CAPACITY);
    assertTrue(RingRecords.offer(producer, ByteBuffer.wrap(bytes(16, 1))));
    // A hostile peer rewrites the published record's length: far beyond the ring, then a
    // misaligned padding.
    memory.putInt(RingDescriptor.DATA_OFFSET, 1 << 20);
    SpscRing.CorruptRingException e = assertThrows(SpscRing.CorruptRingException.class,
        () -> consumer.poll(payload -> { }, 10));
    assertTrue(e.getMessage().contains("a record of 1048576 bytes at ring offset 0"),
        e.getMessage());
    memory.putInt(RingDescriptor.DATA_OFFSET, -12);
    assertThrows(SpscRing.CorruptRingException.class, () -> consumer.poll(payload -> { }, 10));
  }
}
