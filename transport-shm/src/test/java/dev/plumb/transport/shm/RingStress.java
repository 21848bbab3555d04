package dev.plumb.transport.shm;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A producer and a consumer that agree, from a shared seed, on every record's size and bytes:
 * the consumer checks each one, so a lost, torn, reordered or repeated record is caught. Sizes
 * are random, so records wrap at every offset; the ring fills whenever the consumer lags.
 */
final class RingStress {
  private RingStress() {}

  /**
   * Spin a little, then yield: on a busy 2-core machine a side that only spins can hold the
   * core its peer needs.
   */
  static void backOff(int idle) {
    if (idle == 0) {
      return;
    }
    if (idle < 100) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  static int size(SplittableRandom random, int maxPayload) {
    // Mostly small records, sometimes large ones, up to the ring's maximum.
    return random.nextInt(8) == 0 ? random.nextInt(maxPayload + 1) : random.nextInt(300);
  }

  static void fill(ByteBuffer record, long sequence) {
    for (int i = 0; record.hasRemaining(); i++) {
      record.put((byte) (sequence * 131 + i * 7));
    }
  }

  static void produce(SpscRing ring, int records, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer record = ByteBuffer.allocate(ring.maxPayload());
    for (long sequence = 0; sequence < records; sequence++) {
      record.clear().limit(size(random, ring.maxPayload()));
      fill(record, sequence);
      record.flip();
      for (int idle = 0; !RingRecords.offer(ring, record); idle++) {
        backOff(idle);
      }
    }
  }

  /** Consumes and checks {@code records} records; failure() says what was wrong, if anything. */
  static final class Consumer implements Runnable {
    private final SpscRing ring;
    private final int records;
    private final SplittableRandom random;
    private volatile long received;
    private volatile String failure;

    Consumer(SpscRing ring, int records, long seed) {
      this.ring = ring;
      this.records = records;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public void run() {
      int idle = 0;
      while (received < records && failure == null) {
        idle = ring.poll(this::check, 64) == 0 ? idle + 1 : 0;
        backOff(idle);
      }
    }

    private void check(ByteBuffer payload) {
      long sequence = received;
      int expected = size(random, ring.maxPayload());
      if (payload.remaining() != expected) {
        failure = "record " + sequence + ": " + payload.remaining() + " bytes, expected " + expected;
        return;
      }
      for (int i = 0; payload.hasRemaining(); i++) {
        byte b = payload.get();
        if (b != (byte) (sequence * 131 + i * 7)) {
          failure = "record " + sequence + ": byte " + i + " differs";
          return;
        }
      }
      received = sequence + 1;
    }

    long received() {
      return received;
    }

    String failure() {
      return failure;
    }
  }
}
