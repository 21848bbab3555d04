package dev.plumb.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpus of {@link SpscRingGuidedFuzzTest}: rings a real producer wrote (records,
 * empty ones, a wrap with padding, counters near the top of their range) and a few that break
 * the layout, in the target's input layout. {@code main} writes them into the directory it is
 * given; the fuzz test checks that the committed files are these.
 */
final class SpscRingFuzzSeeds {
  private static final int CAPACITY = RingDescriptor.MIN_CAPACITY;
  /** Capacity 4096 and a poll limit of 16, or of 1. */
  private static final int LIMIT_16 = 15 << 1;
  private static final int LIMIT_1 = 0;

  private SpscRingFuzzSeeds() {}

  static Map<String, byte[]> all() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("records", produced(LIMIT_16, 0, 10, 0, 100));
    seeds.put("records-one-per-poll", produced(LIMIT_1, 0, 1, 2, 3));
    seeds.put("wrap-with-padding", produced(LIMIT_16, 5L * CAPACITY - 40, 40, 100));
    seeds.put("counters-near-the-top", produced(LIMIT_16, Long.MAX_VALUE - 15, 3, 1));
    seeds.put("padding-at-offset-zero", written(LIMIT_16, 0, 16,
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(-CAPACITY).array()));
    seeds.put("record-beyond-the-tail", written(LIMIT_16, 0, 16,
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(64).array()));
    seeds.put("tail-behind-head", written(LIMIT_16, 64, -8, new byte[0]));
    seeds.put("misaligned-head", written(LIMIT_16, 4, 8, new byte[8]));
    return seeds;
  }

  /** A ring whose producer started at counter {@code start} and wrote records of these sizes. */
  private static byte[] produced(int config, long start, int... payloadLengths) {
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY))
        .order(ByteOrder.nativeOrder());
    memory.putLong(RingDescriptor.HEAD_OFFSET, start);
    memory.putLong(RingDescriptor.TAIL_OFFSET, start);
    SpscRing producer = new SpscRing(memory, CAPACITY);
    for (int length : payloadLengths) {
      byte[] payload = new byte[length];
      for (int i = 0; i < length; i++) {
        payload[i] = (byte) (length + i);
      }
      if (!RingRecords.offer(producer, ByteBuffer.wrap(payload))) {
        throw new IllegalArgumentException("records do not fit");
      }
    }
    int published = (int) (memory.getLong(RingDescriptor.TAIL_OFFSET) - start);
    byte[] bytes = new byte[published];
    for (int i = 0; i < published; i++) {
      bytes[i] = memory.get(RingDescriptor.DATA_OFFSET + (int) ((start + i) & (CAPACITY - 1)));
    }
    return written(config, start, published, bytes);
  }

  /** The input for a ring with this head, a tail {@code published} bytes on, and these bytes. */
  private static byte[] written(int config, long head, int published, byte[] ringBytes) {
    return ByteBuffer.allocate(SpscRingGuidedFuzzTest.HEADER_BYTES + ringBytes.length)
        .put((byte) config).putLong(head).putInt(published).put(ringBytes).array();
  }

  /** Writes the seeds into {@code args[0]}, the target's inputs directory. */
  public static void main(String[] args) throws IOException {
    Path directory = Files.createDirectories(Path.of(args[0]));
    for (Map.Entry<String, byte[]> seed : all().entrySet()) {
      Files.write(directory.resolve(seed.getKey()), seed.getValue());
    }
  }
}
