package dev.plumb.benchmarks.jmh;

import dev.plumb.transport.shm.RingDescriptor;
import dev.plumb.transport.shm.SpscRing;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * The shm: ring's hot path, in one JVM on a direct buffer (the transport maps a file instead;
 * the memory ordering is the same): a record written by claim/commit, as {@code ShmConnection}
 * encodes a frame, and read back by poll. {@link #writeThenRead} is one record's whole cost
 * on one thread; in the {@code handOff} group a producer and a consumer thread run at once
 * (two cores: one each), and the producer's score is the records per microsecond that pass
 * (the consumer's counts its polls, empty ones included, and means nothing alone).
 */
@State(Scope.Group)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpscRingBenchmark {
  private static final int CAPACITY = 1 << 20;

  @Param({"16", "4096", "65536"})
  public int payloadSize;

  private SpscRing ring;
  private byte[] payload;
  private final SpscRing.RecordHandler consume = record -> record.position(record.limit());

  @Setup
  public void setUp() {
    ByteBuffer memory = ByteBuffer.allocateDirect((int) RingDescriptor.ringLength(CAPACITY) + 64)
        .alignedSlice(64);
    ring = new SpscRing(memory, CAPACITY);
    payload = new byte[payloadSize];
  }

  /** One record written into ring space and read back, on one thread. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Group("oneThread")
  public int writeThenRead() {
    ByteBuffer space = ring.tryClaim(payloadSize);
    space.put(payload);
    ring.commit();
    return ring.poll(consume, 1);
  }

  /**
   * The producer of the hand-off: one operation is one record written (waiting, spinning, for
   * room), so its score is records per microsecond through the ring.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Group("handOff")
  public void produce(Control control) {
    ByteBuffer space;
    while ((space = ring.tryClaim(payloadSize)) == null) {
      if (control.stopMeasurement) {
        return;  // The consumer has stopped: do not wait for room that never comes.
      }
      Thread.onSpinWait();
    }
    space.put(payload);
    ring.commit();
  }

  /** The consumer of the hand-off: reads what has been published, up to 64 records a call. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Group("handOff")
  public void consume(Blackhole blackhole) {
    blackhole.consume(ring.poll(consume, 64));
  }
}
