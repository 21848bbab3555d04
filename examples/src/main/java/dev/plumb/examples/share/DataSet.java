package dev.plumb.examples.share;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The share example's data: {@code sizeBytes} bytes cut into chunks of {@code chunkBytes} (the
 * last one may be shorter), generated from {@code seed}. Chunk {@code i} depends on the seed and
 * {@code i} alone, so the producer makes each chunk when it is wanted and a consumer computes
 * what it should receive without asking anyone. Consumer {@code c} of {@code n} takes the chunks
 * {@code i} with {@code i % n == c}: the shares are disjoint and together cover the data.
 *
 * @param seed where the pseudo-random bytes start
 * @param sizeBytes the whole data set, 1 to {@value #MAX_SIZE_BYTES} bytes
 * @param chunkBytes the size of a chunk (a message), 1 to {@value #MAX_CHUNK_BYTES} bytes
 */
public record DataSet(long seed, long sizeBytes, int chunkBytes) {
  /** The example's size: 100 MiB. */
  public static final long DEMO_SIZE_BYTES = 100L << 20;
  public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
  public static final long DEFAULT_SEED = 0x5EED_2026_0100L;
  public static final long MAX_SIZE_BYTES = 16L << 30;
  /** A chunk and its framing stay well below gRPC's default 4 MiB limit on a message. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;
  public static final int MAX_CONSUMERS = 64;
  /**
   * The largest data set {@code Lend} makes in one shared buffer: a receiver's default limit on
   * the bytes attached to one call.
   */
  public static final long MAX_LENT_BYTES = 1L << 30;
  private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@code sizeBytes} of the default seed, in chunks of the default size. */
  public static DataSet ofSize(long sizeBytes) {
    return new DataSet(DEFAULT_SEED, sizeBytes, DEFAULT_CHUNK_BYTES);
  }

  /** The data set a request names; {@link #problem} must have found nothing wrong with it. */
  public static DataSet of(TakeRequest request) {
    return new DataSet(request.getSeed(), request.getSizeBytes(), request.getChunkBytes());
  }

  /**
   * What is wrong with {@code request}, naming the field and what is accepted, or null if it is
   * a valid request for a share of a valid data set.
   */
  public static String problem(TakeRequest request) {
    if (request.getSizeBytes() < 1 || request.getSizeBytes() > MAX_SIZE_BYTES) {
      return "size_bytes must be 1.." + MAX_SIZE_BYTES + ", not " + request.getSizeBytes();
    }
    if (request.getChunkBytes() < 1 || request.getChunkBytes() > MAX_CHUNK_BYTES) {
      return "chunk_bytes must be 1.." + MAX_CHUNK_BYTES + ", not " + request.getChunkBytes();
    }
    if (request.getConsumers() < 1 || request.getConsumers() > MAX_CONSUMERS) {
      return "consumers must be 1.." + MAX_CONSUMERS + ", not " + request.getConsumers();
    }
    if (request.getConsumer() < 0 || request.getConsumer() >= request.getConsumers()) {
      return "consumer must be 0.." + (request.getConsumers() - 1) + ", not "
          + request.getConsumer();
    }
    return null;
  }

  /**
   * What is wrong with {@code request} as a {@code Lend} or {@code Prepare}: what
   * {@link #problem} finds, or a data set too large for one buffer; null if nothing.
   */
  public static String lendingProblem(TakeRequest request) {
    String problem = problem(request);
    if (problem == null && request.getSizeBytes() > MAX_LENT_BYTES) {
      return "size_bytes must be at most " + MAX_LENT_BYTES + " to lend, not "
          + request.getSizeBytes();
    }
    return problem;
  }

  /** The request for share {@code consumer} of {@code consumers}. */
  public TakeRequest request(int consumer, int consumers) {
    return TakeRequest.newBuilder().setSeed(seed).setSizeBytes(sizeBytes)
        .setChunkBytes(chunkBytes).setConsumer(consumer).setConsumers(consumers).build();
  }

  /**
   * The first two chunks of this data set (all of it if it is smaller) as a data set of its
   * own: a consumer's small first call, which warms its JVM up before the timed one.
   */
  public DataSet warmUp() {
    return new DataSet(seed, Math.min(sizeBytes, 2L * chunkBytes), chunkBytes);
  }

  public long chunkCount() {
    return (sizeBytes + chunkBytes - 1) / chunkBytes;
  }

  /** Where chunk {@code index} starts in the whole data set (and in a lent buffer). */
  public long offsetOf(long index) {
    return index * chunkBytes;
  }

  /** The length of chunk {@code index}: {@link #chunkBytes}, or less for the last one. */
  public int chunkLength(long index) {
    return (int) Math.min(chunkBytes, sizeBytes - offsetOf(index));
  }

  /** How many chunks consumer {@code consumer} of {@code consumers} takes. */
  public long chunksOf(int consumer, int consumers) {
    long count = chunkCount();
    return count <= consumer ? 0 : (count - 1 - consumer) / consumers + 1;
  }

  /** How many bytes consumer {@code consumer} of {@code consumers} takes. */
  public long bytesOf(int consumer, int consumers) {
    long chunks = chunksOf(consumer, consumers);
    if (chunks == 0) {
      return 0;
    }
    long last = consumer + (chunks - 1) * consumers;
    return (chunks - 1) * chunkBytes + chunkLength(last);
  }

  /** Chunk {@code index}'s bytes, in a new array. */
  public byte[] chunk(long index) {
    byte[] data = new byte[chunkLength(index)];
    // One generator per chunk, seeded by the chunk's number: any chunk can be made alone.
    SplittableRandom random = new SplittableRandom(seed + index * GOLDEN);
    int whole = data.length & ~7;
    for (int i = 0; i < whole; i += Long.BYTES) {
      LONGS.set(data, i, random.nextLong());
    }
    long last = random.nextLong();
    for (int i = whole; i < data.length; i++, last >>>= 8) {
      data[i] = (byte) last;
    }
    return data;
  }

  /**
   * The CRC-32C of consumer {@code consumer}'s share, its chunks in order: what that consumer
   * must have received, computed here without the producer.
   */
  public long checksumOf(int consumer, int consumers) {
    CRC32C crc = new CRC32C();
    for (long i = consumer; i < chunkCount(); i += consumers) {
      crc.update(chunk(i));
    }
    return crc.getValue();
  }
}
