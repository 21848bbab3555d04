package dev.plumb.transport.shm;

import static dev.plumb.transport.shm.RingDescriptor.DATA_OFFSET;
import static dev.plumb.transport.shm.RingDescriptor.HEAD_OFFSET;
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
 * <p>A full ring is reported by {@link #offer} returning false (back-pressure by return
 * value); the caller decides how to wait.
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

  // Consumer-side state (touched by the consumer thread only).
  private long consumerHead;
  private long cachedTail;

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
    this.cachedHead = consumerHead;
    this.cachedTail = producerTail;
  }

  public int maxPayload() {
    return maxPayload;
  }

  /**
   * Appends {@code payload}'s remaining bytes as one record, consuming them. Producer thread
   * only.
   *
   * @return false if the ring has no room now (nothing was written)
   * @throws IllegalArgumentException if the payload can never fit ({@link #maxPayload()})
   */
  public boolean offer(ByteBuffer payload) {
    int length = payload.remaining();
    if (length > maxPayload) {
      throw new IllegalArgumentException(
          "record of " + length + " bytes exceeds the ring's maximum of " + maxPayload);
    }
    int recordLength = RingDescriptor.recordLength(length);
    int index = (int) (producerTail & mask);
    int toEnd = capacity - index;
    int padding = recordLength > toEnd ? toEnd : 0;
    if (!hasRoom(padding + recordLength)) {
      return false;
    }
    if (padding > 0) {
      buffer.putInt(DATA_OFFSET + index, -padding);
      index = 0;
    }
    int at = DATA_OFFSET + index;
    buffer.putInt(at, length);
    buffer.put(at + RECORD_HEADER_LENGTH, payload, payload.position(), length);
    payload.position(payload.position() + length);
    producerTail += padding + recordLength;
    // Release: the record's bytes above become visible no later than the new tail.
    LONGS.setRelease(buffer, TAIL_OFFSET, producerTail);
    return true;
  }

  private boolean hasRoom(int bytes) {
    if (producerTail + bytes - cachedHead <= capacity) {
      return true;
    }
    // Acquire: the consumer is done with every byte before head.
    cachedHead = (long) LONGS.getAcquire(buffer, HEAD_OFFSET);
    return producerTail + bytes - cachedHead <= capacity;
  }

  /** Receives records; the payload view is valid only during the call. */
  @FunctionalInterface
  public interface RecordHandler {
    void onRecord(ByteBuffer payload);
  }

  /**
   * Hands up to {@code limit} records to {@code handler}, in order, then frees their space.
   * Consumer thread only.
   *
   * @return the number of records handled; 0 if the ring was empty
   */
  public int poll(RecordHandler handler, int limit) {
    if (consumerHead == cachedTail) {
      // Acquire: every byte the producer wrote before this tail is now visible.
      cachedTail = (long) LONGS.getAcquire(buffer, TAIL_OFFSET);
      if (consumerHead == cachedTail) {
        return 0;
      }
    }
    int handled = 0;
    long head = consumerHead;
    while (head < cachedTail && handled < limit) {
      int at = DATA_OFFSET + (int) (head & mask);
      int length = buffer.getInt(at);
      if (length < 0) {
        head += -length;
        continue;
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
}
