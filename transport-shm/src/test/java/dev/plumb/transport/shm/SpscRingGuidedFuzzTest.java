package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.testing.FuzzSeeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the consumer side of {@link SpscRing} over a ring whose counters
 * and records a hostile peer chose (Jazzer; see docs/ARCHITECTURE.md, section 8, for the long
 * run). The input is laid out as {@link SpscRingFuzzSeeds} writes it: a byte that picks the
 * capacity and the poll limit, the consumer's head, how far the published tail lies from it,
 * and the ring's bytes from the head on (wrapping at the end of the data area). The buffer is
 * exactly as long as the ring, so a read beyond it throws. Polling until the ring is empty, the
 * consumer must:
 *
 * <ul>
 *   <li>throw nothing but {@link SpscRing.CorruptRingException}, the protocol error that ends
 *       the connection;
 *   <li>make progress on every poll that leaves the ring non-empty (a record handled or the
 *       head moved): the reader polls again at once when the ring is not empty, so a poll that
 *       does nothing spins it for good; and do at most {@code limit} records per poll;
 *   <li>hand out only payloads that lie whole inside a record of the published bytes: 8-byte
 *       aligned, within the data area, between its head and the published tail, in order;
 *   <li>write nothing but its head, and leave it at the published tail once drained.
 * </ul>
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpscRingGuidedFuzzTest {
  static final int HEADER_BYTES = 1 + 8 + 4;

  @Test
  void theCommittedSeedsAreTheOnesWritten() {
    FuzzSeeds.assertCommitted(getClass(), "pollReadsOnlyPublishedRecords",
        SpscRingFuzzSeeds.all());
  }

  @FuzzTest(maxDuration = "10m")
  void pollReadsOnlyPublishedRecords(byte[] input) {
    if (input.length < HEADER_BYTES) {
      return;
    }
    ByteBuffer header = ByteBuffer.wrap(input);
    int config = header.get() & 0xff;
    int capacity = (config & 1) == 0 ? RingDescriptor.MIN_CAPACITY : 2 * RingDescriptor.MIN_CAPACITY;
    int limit = 1 + ((config >> 1) & 0xf);
    long head = header.getLong();
    long tail = head + header.getInt();
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(capacity))
        .order(ByteOrder.nativeOrder());
    memory.putLong(RingDescriptor.HEAD_OFFSET, head);
    memory.putLong(RingDescriptor.TAIL_OFFSET, tail);
    for (int i = HEADER_BYTES; i < input.length && i - HEADER_BYTES < capacity; i++) {
      int index = (int) ((head + i - HEADER_BYTES) & (capacity - 1));
      memory.put(RingDescriptor.DATA_OFFSET + index, input[i]);
    }

    try {
      new Consumer(memory, capacity, limit, tail).drain();
    } catch (SpscRing.CorruptRingException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  /** Polls one ring until it is empty, checking each poll. */
  private static final class Consumer {
    private final ByteBuffer memory;
    private final int capacity;
    private final int limit;
    private final long tail;
    private final SpscRing ring;
    private final byte[] before;
    private final byte[] during;

    Consumer(ByteBuffer memory, int capacity, int limit, long tail) {
      this.memory = memory;
      this.capacity = capacity;
      this.limit = limit;
      this.tail = tail;
      this.ring = new SpscRing(memory, capacity);
      this.before = new byte[memory.capacity()];
      this.during = new byte[memory.capacity()];
    }

    void drain() {
      // Each poll that does not empty the ring moves the head by at least one 8-byte step.
      int maxPolls = capacity / RingDescriptor.ALIGNMENT + 1;
      for (int polls = 0; !ring.isEmpty(); polls++) {
        assertTrue(polls < maxPolls, "the consumer keeps polling a ring it cannot empty");
        pollOnce();
      }
      assertEquals(tail, head(), "the head once the ring is empty");
    }

    private void pollOnce() {
      long headBefore = head();
      memory.get(0, before);
      int[] handled = {0};
      long[] next = {headBefore};
      int count = ring.poll(payload -> {
        handled[0]++;
        next[0] = checkPlace(payload, headBefore, next[0]);
      }, limit);
      assertEquals(handled[0], count, "records handled");
      assertTrue(count <= limit, () -> count + " records in one poll, limit " + limit);
      long headAfter = head();
      assertTrue(count > 0 || headAfter != headBefore || ring.isEmpty(),
          "a poll that handled nothing and moved nothing on a non-empty ring: the reader spins");
      assertTrue(Long.compareUnsigned(headAfter - headBefore, tail - headBefore) <= 0,
          () -> "head " + headAfter + " moved past the published tail " + tail);
      memory.get(0, during);
      Arrays.fill(during, RingDescriptor.HEAD_OFFSET, RingDescriptor.HEAD_OFFSET + 8, (byte) 0);
      Arrays.fill(before, RingDescriptor.HEAD_OFFSET, RingDescriptor.HEAD_OFFSET + 8, (byte) 0);
      assertEquals(-1, Arrays.mismatch(before, during), "poll wrote beyond its head");
    }

    /**
     * Finds where {@code payload} lies in the ring (by flipping its first byte and looking for
     * the change) and checks that it is a record's payload within the published bytes, after
     * the record before; returns the counter at the end of its record.
     */
    private long checkPlace(ByteBuffer payload, long headBefore, long notBefore) {
      int length = payload.remaining();
      assertTrue(length <= ring.maxPayload(), () -> "a payload of " + length + " bytes");
      if (length == 0) {
        return notBefore;  // Nothing to find; its length field was checked.
      }
      payload.put(0, (byte) ~payload.get(0));
      memory.get(0, during);
      payload.put(0, (byte) ~payload.get(0));
      int at = Arrays.mismatch(before, during);
      int start = at - RingDescriptor.DATA_OFFSET - RingDescriptor.RECORD_HEADER_LENGTH;
      if (at < 0 || start < 0 || start % RingDescriptor.ALIGNMENT != 0
          || start + RingDescriptor.RECORD_HEADER_LENGTH + length > capacity) {
        fail("a payload of " + length + " bytes at buffer offset " + at
            + ", not after an aligned record header within the data area");
      }
      // The record's counter: the first one at or after the head with this index.
      long record = headBefore + ((start - headBefore) & (capacity - 1));
      long end = record + RingDescriptor.RECORD_HEADER_LENGTH + length;
      assertTrue(Long.compareUnsigned(record - headBefore, notBefore - headBefore) >= 0,
          () -> "a record at " + record + " overlaps the one before, which ends at " + notBefore);
      assertTrue(Long.compareUnsigned(end - headBefore, tail - headBefore) <= 0,
          () -> "a record at " + record + " of " + length + " bytes ends past the published tail "
              + tail);
      return end;
    }

    private long head() {
      return memory.getLong(RingDescriptor.HEAD_OFFSET);
    }
  }
}
