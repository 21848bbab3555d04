package dev.plumb.transport.shm.stress;

import dev.plumb.transport.shm.RingDescriptor;
import dev.plumb.transport.shm.SpscRing;
import java.nio.ByteBuffer;

/**
 * One ring in a direct buffer of its own, seen by two {@link SpscRing}s as two processes see
 * it: the producer's and the consumer's, each with its own cached counters. A jcstress state
 * holds one; only the producer view is used on the producer actor and the consumer view on the
 * consumer actor.
 */
final class RingUnderTest {
  /** The smallest ring, so that a state costs as little to make as the layout allows. */
  static final int CAPACITY = RingDescriptor.MIN_CAPACITY;
  /** A record this large takes half the ring: two fill it. */
  static final int HALF_RING_PAYLOAD = RingDescriptor.maxPayload(CAPACITY);

  final SpscRing producer;
  final SpscRing consumer;

  private RingUnderTest(ByteBuffer memory) {
    this.producer = new SpscRing(memory, CAPACITY);
    this.consumer = new SpscRing(memory, CAPACITY);
  }

  /**
   * A fresh, zeroed ring's memory, starting on a cache line as a ring does in a segment (a
   * direct buffer itself starts only 16-byte aligned). A state costs about a microsecond of
   * allocation, more than the actors' work; slicing states out of large shared blocks instead
   * was measured slower still (each fresh piece is a page fault).
   */
  private static ByteBuffer memory() {
    int length = (int) RingDescriptor.ringLength(CAPACITY);
    return ByteBuffer.allocateDirect(length + RingDescriptor.CACHE_LINE)
        .alignedSlice(RingDescriptor.CACHE_LINE).limit(length);
  }

  static RingUnderTest empty() {
    return new RingUnderTest(memory());
  }

  /**
   * A full ring of two half-ring records whose payloads start with {@code first} and
   * {@code second}; written before either view exists, so both start from it.
   */
  static RingUnderTest full(int first, int second) {
    ByteBuffer memory = memory();
    SpscRing setUp = new SpscRing(memory, CAPACITY);
    if (!publish(setUp, HALF_RING_PAYLOAD, first) || !publish(setUp, HALF_RING_PAYLOAD, second)
        || setUp.hasRoomFor(0)) {
      throw new IllegalStateException("two half-ring records should fill the ring");
    }
    return new RingUnderTest(memory);
  }

  /**
   * Appends a record of {@code length} payload bytes starting with {@code value}, as the
   * connection's flush does: claim, write in place, commit. False if it does not fit now.
   */
  static boolean publish(SpscRing ring, int length, int value) {
    ByteBuffer space = ring.tryClaim(length);
    if (space == null) {
      return false;
    }
    space.putInt(0, value);
    ring.commit();
    return true;
  }
}
