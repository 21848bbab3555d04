package dev.plumb.benchmarks.jmh;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameType;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one DATA frame: {@link FrameCodec#encode} (a new buffer per frame) and the pattern
 * the stream transports use (the header written into a buffer they own, the payload copied
 * after it). Payloads: small, the copy threshold of tcp:, the default maximum frame size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FrameCodecBenchmark {
  @Param({"16", "4096", "65536"})
  public int payloadSize;

  private Frame frame;
  private ByteBuffer reused;

  @Setup
  public void setUp() {
    byte[] payload = new byte[payloadSize];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    frame = Frame.of(FrameType.DATA, 0, 1, payload);
    reused = ByteBuffer.allocate(FrameCodec.HEADER_LENGTH + payloadSize);
  }

  /** A fresh heap buffer with header and payload. */
  @Benchmark
  public ByteBuffer encodeNewBuffer() {
    return FrameCodec.encode(frame);
  }

  /** Header and payload copied into a buffer the writer keeps. */
  @Benchmark
  public ByteBuffer encodeIntoReusedBuffer() {
    ByteBuffer out = reused;
    out.clear();
    FrameCodec.writeHeader(frame, out);
    out.put(frame.payload().duplicate());
    return out;
  }

  /** The header alone: what tcp: writes before a payload it sends without copying. */
  @Benchmark
  public ByteBuffer encodeHeaderOnly() {
    ByteBuffer out = reused;
    out.clear();
    FrameCodec.writeHeader(frame, out);
    return out;
  }
}
