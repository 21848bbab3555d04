package dev.plumb.transport.shm;

import static dev.plumb.transport.shm.RingDescriptor.CONSUMER_SLEEPS_OFFSET;
import static dev.plumb.transport.shm.RingDescriptor.DATA_OFFSET;
import static dev.plumb.transport.shm.RingDescriptor.HEAD_OFFSET;
import static dev.plumb.transport.shm.RingDescriptor.PRODUCER_WAITS_OFFSET;
import static dev.plumb.transport.shm.RingDescriptor.RECORD_HEADER_LENGTH;
import static dev.plumb.transport.shm.RingDescriptor.TAIL_OFFSET;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One single-producer/single-consumer ring of variable-length records over a direct (usually
 * memory-mapped) buffer laid out as {@link RingDescriptor} draws it. One thread of one process
 * produces, one thread of one process consumes.
 *
 * <p>Memory ordering: the producer writes a record's bytes with plain stores, then publishes
 * the new {@code tail} with a release store; the consumer reads {@code tail} with an acquire
 * load, after which every byte before it is visible. The consumer frees space by publishing
 * {@code head} with a release store once it is done with the bytes; the producer reads it with
 * an acquire load before reusing them. Each side caches the other's counter and re-reads it
 * only when the cache says the ring is full (or empty). No lock, no CAS: one writer per field.
 *
 * <p>A full ring is reported by {@link #tryClaim} returning null (back-pressure by return
 * value); the caller decides how to wait.
 *
 * <p>Waiting: a side that wants to sleep (a consumer that found the ring empty, a producer that
 * found it full) announces it in the ring's flag and re-checks the ring in one call
 * ({@link #announceConsumerSleepsAndRecheck}, {@link #announceProducerWaitsAndRecheck}), and
 * sleeps only if the re-check still fails. The other side, after publishing (or freeing), asks
 * whether someone announced ({@link #takeConsumerSleeps}, {@link #takeProducerWaits}) and if
 * so wakes it once. This is Dekker's handshake, with a full fence between each side's store
 * and its load: either the sleeper's re-check sees the new record (or space), or the publisher
 * sees the announcement and rings. {@link WakeUpFlag} holds the flag accesses and says why the
 * fences are needed.
 */
public final class SpscRing {
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final ByteBuffer buffer;
  private final int capacity;
  private final int mask;
  private final int maxPayload;

  // Producer-side state (touched by the producer thread only).
  private long producerTail;
  private long cachedHead;
  /** The claimed, uncommitted record: its padding before it and its aligned length; 0 if none. */
  private int claimedPadding;
  private int claimedLength;

  // Consumer-side state (touched by the consumer thread only).
  private long consumerHead;
  private long cachedTail;

  /** Set by the consumer, taken by the producer. */
  private final WakeUpFlag consumerSleeps;
  /** Set by the producer, taken by the consumer. */
  private final WakeUpFlag producerWaits;

  /**
   * @param buffer a direct buffer of {@link RingDescriptor#ringLength} bytes whose position 0 is
   *     the ring's start, 8-byte aligned; both counters start at the values found there
   */
  public SpscRing(ByteBuffer buffer, int capacity) {
    RingDescriptor.checkCapacity(capacity);
    if (!buffer.isDirect() || buffer.capacity() < RingDescriptor.ringLength(capacity)) {
      throw new IllegalArgumentException("ring needs a direct buffer of "
          + RingDescriptor.ringLength(capacity) + " bytes");
    }
    this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder());
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxPayload = RingDescriptor.maxPayload(capacity);
    this.producerTail = (long) LONGS.getAcquire(this.buffer, TAIL_OFFSET);
    this.consumerHead = (long) LONGS.getAcquire(this.buffer, HEAD_OFFSET);
    checkCounters(producerTail, consumerHead, "tail", producerTail);
    checkCounters(producerTail, consumerHead, "head", consumerHead);
    this.cachedHead = consumerHead;
    this.cachedTail = producerTail;
    this.consumerSleeps = new WakeUpFlag(this.buffer, CONSUMER_SLEEPS_OFFSET);
    this.producerWaits = new WakeUpFlag(this.buffer, PRODUCER_WAITS_OFFSET);
  }

  /**
   * The check of every counter read from shared memory, before it is used: {@code tail - head}
   * must lie in [0, capacity] and the counter read must be 8-byte aligned, or the other process
   * did not follow the layout. A couple of compares, once per counter load (not per record).
   *
   * @param read the counter just read ({@code tail} or {@code head}), named {@code which}
   * @throws CorruptRingException naming the bad value
   */
  private void checkCounters(long tail, long head, String which, long read) {
    long used = tail - head;
    // Unsigned: a negative difference (tail behind head) is huge, so one compare covers both.
    if (Long.compareUnsigned(used, capacity) > 0 || (read & (RingDescriptor.ALIGNMENT - 1)) != 0) {
      throw new CorruptRingException("the ring's " + which + " " + read + " is not valid: tail "
          + tail + " minus head " + head + " is " + used + " bytes, where 0 to " + capacity
          + " (the ring's capacity) in steps of " + RingDescriptor.ALIGNMENT + " are possible");
    }
  }

  public int maxPayload() {
    return maxPayload;
  }

  /**
   * Reserves a record of {@code length} payload bytes and returns its payload space in the
   * ring, for the caller to write in place (position 0, limit {@code length}, big-endian); the
   * consumer sees nothing until {@link #commit}. Producer thread only; one claim at a time.
   *
   * @return null if the ring has no room now (nothing was reserved)
   * @throws IllegalArgumentException if the payload can never fit ({@link #maxPayload()})
   */
  public ByteBuffer tryClaim(int length) {
    if (length < 0 || length > maxPayload) {
      throw new IllegalArgumentException(
          "record of " + length + " bytes exceeds the ring's maximum of " + maxPayload);
    }
    if (claimedLength != 0) {
      throw new IllegalStateException("a claimed record is not committed yet");
    }
    int recordLength = RingDescriptor.recordLength(length);
    int index = (int) (producerTail & mask);
    int toEnd = capacity - index;
    int padding = recordLength > toEnd ? toEnd : 0;
    if (!hasRoom(padding + recordLength)) {
      return null;
    }
    if (padding > 0) {
      buffer.putInt(DATA_OFFSET + index, -padding);
      index = 0;
    }
    int at = DATA_OFFSET + index;
    buffer.putInt(at, length);
    claimedPadding = padding;
    claimedLength = recordLength;
    return buffer.slice(at + RECORD_HEADER_LENGTH, length).order(ByteOrder.BIG_ENDIAN);
  }

  /** Publishes the record reserved by {@link #tryClaim}. Producer thread only. */
  public void commit() {
    if (claimedLength == 0) {
      throw new IllegalStateException("no claimed record to commit");
    }
    producerTail += claimedPadding + claimedLength;
    claimedPadding = 0;
    claimedLength = 0;
    // Release: the record's bytes (written by the caller into the claimed space) become
    // visible no later than the new tail.
    LONGS.setRelease(buffer, TAIL_OFFSET, producerTail);
  }

  /**
   * Whether a record of {@code length} payload bytes fits now (an acquire load of the
   * consumer's head if the cached one says no). Producer thread only.
   */
  public boolean hasRoomFor(int length) {
    int recordLength = RingDescriptor.recordLength(length);
    int toEnd = capacity - (int) (producerTail & mask);
    return hasRoom((recordLength > toEnd ? toEnd : 0) + recordLength);
  }

  private boolean hasRoom(int bytes) {
    if (producerTail + bytes - cachedHead <= capacity) {
      return true;
    }
    // Acquire: the consumer is done with every byte before head.
    long head = (long) LONGS.getAcquire(buffer, HEAD_OFFSET);
    checkCounters(producerTail, head, "head", head);
    cachedHead = head;
    return producerTail + bytes - cachedHead <= capacity;
  }

  /** The ring's bytes do not form records: the producer did not follow the layout. */
  public static final class CorruptRingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptRingException(String message) {
      super(message);
    }
  }

  /** Receives records; the payload view is valid only during the call. */
  @FunctionalInterface
  public interface RecordHandler {
    void onRecord(ByteBuffer payload);
  }

  /**
   * Hands up to {@code limit} records to {@code handler}, in order, then frees their space.
   * Consumer thread only. A padding counts toward the limit like a record, so one call does at
   * most {@code limit} steps whatever the producer wrote.
   *
   * @return the number of records handled; 0 if the ring was empty (or held only padding)
   * @throws CorruptRingException if the published tail is out of range or misaligned, or a
   *     record or padding does not lie where the layout puts it (records before it were handled
   *     and stay consumed only if the caller polls no more)
   */
  public int poll(RecordHandler handler, int limit) {
    if (consumerHead == cachedTail) {
      // Acquire: every byte the producer wrote before this tail is now visible.
      long tail = (long) LONGS.getAcquire(buffer, TAIL_OFFSET);
      checkCounters(tail, consumerHead, "tail", tail);
      cachedTail = tail;
      if (consumerHead == tail) {
        return 0;
      }
    }
    int handled = 0;
    int steps = 0;
    long head = consumerHead;
    // cachedTail was checked when read: it lies 0 to capacity bytes after head, both aligned,
    // and no step passes it. Compared by difference, never by order: the counters wrap past
    // Long.MAX_VALUE (a peer's segment may start them anywhere), and then a tail just after
    // the head reads as smaller than it.
    while (head != cachedTail && steps < limit) {
      steps++;
      int index = (int) (head & mask);
      int at = DATA_OFFSET + index;
      int length = buffer.getInt(at);
      // The other process wrote these bytes: a record must lie within the data area and the
      // published tail, whatever it says (a peer that corrupts the ring is refused, not obeyed).
      long room = Math.min(capacity - index, cachedTail - head);
      if (length < 0) {
        // A producer pads only when a record does not fit before the end: from a record's end
        // (never offset 0, where every record fits) exactly to the end of the data area.
        if (index == 0 || -(long) length != capacity - index || -(long) length > room) {
          throw new CorruptRingException("padding of " + -(long) length + " bytes at ring offset "
              + index + ", where padding must run from a record's end exactly to the end of the"
              + " data area (" + (capacity - index) + " bytes) within the published "
              + (cachedTail - head) + " bytes");
        }
        head += -length;
        continue;
      }
      if (RECORD_HEADER_LENGTH + (long) length > room || length > maxPayload) {
        throw new CorruptRingException("a record of " + length + " bytes at ring offset " + index
            + ", where at most " + (room - RECORD_HEADER_LENGTH) + " bytes remain");
      }
      ByteBuffer payload = buffer.slice(at + RECORD_HEADER_LENGTH, length);
      head += RingDescriptor.recordLength(length);
      handler.onRecord(payload);
      handled++;
    }
    consumerHead = head;
    // Release: the handler's reads of the freed bytes happen before the producer reuses them.
    LONGS.setRelease(buffer, HEAD_OFFSET, head);
    return handled;
  }

  /** Whether a consumer would find a record now (an acquire load of the producer's tail). */
  public boolean isEmpty() {
    return consumerHead == (long) LONGS.getAcquire(buffer, TAIL_OFFSET);
  }

  // The doorbell handshake: each half is one call here, its ordering is WakeUpFlag's.

  /**
   * Consumer, when it found the ring empty and wants to sleep: announces it in the ring's
   * "consumer sleeps" flag, then re-checks the ring (an acquire load of {@code tail}).
   *
   * @return true if the ring is still empty: the caller may park, and a record published from
   *     now on makes the producer's {@link #takeConsumerSleeps} true; false if a record arrived
   *     meanwhile (poll it). Either way the caller ends with {@link #clearConsumerSleeps}.
   */
  public boolean announceConsumerSleepsAndRecheck() {
    consumerSleeps.announce();
    return isEmpty();
  }

  /** Consumer: it is awake again (woken, or its re-check found a record). */
  public void clearConsumerSleeps() {
    consumerSleeps.clear();
  }

  /**
   * Producer, after {@link #commit}: whether the consumer announced that it sleeps. True at most
   * once per announcement; the caller must then wake the consumer.
   */
  public boolean takeConsumerSleeps() {
    return consumerSleeps.take();
  }

  /**
   * Producer, when a record of {@code length} payload bytes did not fit and it wants to sleep:
   * announces it in the ring's "producer waits" flag, then re-checks the room (an acquire load
   * of {@code head}).
   *
   * @return true if there is still no room: the caller may park, and space freed from now on
   *     makes the consumer's {@link #takeProducerWaits} true; false if room appeared. Either way
   *     the caller ends with {@link #clearProducerWaits}.
   */
  public boolean announceProducerWaitsAndRecheck(int length) {
    producerWaits.announce();
    return !hasRoomFor(length);
  }

  /** Producer: it is awake again. */
  public void clearProducerWaits() {
    producerWaits.clear();
  }

  /**
   * Consumer, after {@link #poll} freed space: whether the producer announced that it waits.
   * True at most once per announcement; the caller must then wake the producer.
   */
  public boolean takeProducerWaits() {
    return producerWaits.take();
  }
}
