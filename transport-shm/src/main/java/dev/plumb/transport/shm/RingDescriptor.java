package dev.plumb.transport.shm;

/**
 * The layout of one single-producer/single-consumer ring in shared memory. Offsets are from
 * the ring's start; the two counters sit on cache lines of their own (two lines each, against
 * adjacent-line prefetch) so the producer and the consumer never write to a line the other
 * reads in its fast path.
 *
 * <pre>
 *   0             128           256           320           384
 *   +-------------+-------------+-------------+-------------+----------------------------+
 *   | tail (long) | head (long) | consumer    | producer    | data: capacity bytes (2^n) |
 *   | producer    | consumer    | sleeps      | waits for   | records, 8-byte aligned    |
 *   |             |             | (long flag) | space (flag)|                            |
 *   +-------------+-------------+-------------+-------------+----------------------------+
 *
 *   record:  0        4        8
 *            +--------+--------+-------------------------+-----------+
 *            | length | unused | payload (length bytes)  | pad to 8  |
 *            +--------+--------+-------------------------+-----------+
 *            length &lt; 0: padding to the end of the data area; the consumer skips -length bytes
 * </pre>
 *
 * {@code tail} and {@code head} count bytes ever written and consumed; they only grow, and
 * {@code tail - head} is the bytes in use. A record never wraps: when it does not fit before
 * the end of the data area, the producer fills the rest with one padding record.
 *
 * <p>The two flags are the waiting side's announcements for the doorbell protocol
 * ({@link SpscRing#announceConsumerSleepsAndRecheck()},
 * {@link SpscRing#announceProducerWaitsAndRecheck(int)}, {@link WakeUpFlag}): 1 while
 * the side has announced it is about to sleep, 0 otherwise. Each sits on a cache line of its own.
 */
public final class RingDescriptor {
  public static final int CACHE_LINE = 64;
  public static final int TAIL_OFFSET = 0;
  public static final int HEAD_OFFSET = 2 * CACHE_LINE;
  public static final int RESERVED_OFFSET = 4 * CACHE_LINE;
  /** 1 while the consumer announced that it sleeps (found the ring empty); set by the consumer. */
  public static final int CONSUMER_SLEEPS_OFFSET = RESERVED_OFFSET;
  /** 1 while the producer announced that it waits for space (found the ring full). */
  public static final int PRODUCER_WAITS_OFFSET = RESERVED_OFFSET + CACHE_LINE;
  public static final int DATA_OFFSET = 6 * CACHE_LINE;
  public static final int RECORD_HEADER_LENGTH = 8;
  public static final int ALIGNMENT = 8;
  public static final int MIN_CAPACITY = 4096;
  /**
   * 512 MiB: both rings share one segment, which is mapped as one buffer and so must stay
   * under 2 GiB (rings of 1 GiB would need 2 GiB and 1 KiB).
   */
  public static final int MAX_CAPACITY = 1 << 29;

  private RingDescriptor() {}

  /** Bytes a ring with {@code capacity} data bytes occupies. */
  public static long ringLength(int capacity) {
    checkCapacity(capacity);
    return DATA_OFFSET + (long) capacity;
  }

  /** The largest payload one record can hold: half the ring, so a record always fits. */
  public static int maxPayload(int capacity) {
    return capacity / 2 - RECORD_HEADER_LENGTH;
  }

  static int recordLength(int payloadLength) {
    return align(RECORD_HEADER_LENGTH + payloadLength);
  }

  static int align(int length) {
    return (length + ALIGNMENT - 1) & -ALIGNMENT;
  }

  public static void checkCapacity(int capacity) {
    if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of two between "
          + MIN_CAPACITY + " and " + MAX_CAPACITY + " bytes, was " + capacity);
    }
  }
}
