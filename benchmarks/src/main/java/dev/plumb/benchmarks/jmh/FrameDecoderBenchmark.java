package dev.plumb.benchmarks.jmh;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding DATA frames with {@link FrameDecoder}, per frame: a read that holds exactly one
 * frame, a read that holds {@value #BATCH} frames back to back (a streaming burst), and one
 * frame arriving in {@value #SEGMENT}-byte pieces (TCP segments on loopback are larger; this is
 * the unkind case of a transport with small reads). The input is a heap buffer, as the socket
 * transports read into, or a direct one, as {@code shm:}'s records are (mapped memory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FrameDecoderBenchmark {
  static final int BATCH = 16;
  static final int SEGMENT = 1448;

  @Param({"16", "4096", "65536"})
  public int payloadSize;

  @Param({"heap", "direct"})
  public String input;

  private ByteBuffer oneFrame;
  private ByteBuffer batch;
  private FrameDecoder decoder;
  private FrameDecoder.FrameSink sink;

  @Setup
  public void setUp(Blackhole blackhole) {
    byte[] payload = new byte[payloadSize];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    ByteBuffer encoded = FrameCodec.encode(Frame.of(FrameType.DATA, 0, 1, payload));
    oneFrame = allocate(encoded.remaining()).put(encoded.duplicate()).flip();
    batch = allocate(encoded.remaining() * BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.put(encoded.duplicate());
    }
    batch.flip();
    // After each whole frame the decoder is back at a frame boundary, so one serves all calls.
    decoder = new FrameDecoder(FrameCodec.MAX_FRAME_SIZE_LIMIT, false);
    // The consumer gives a pooled payload back, as the core does once gRPC has read it.
    sink = frame -> {
      blackhole.consume(frame);
      frame.release();
    };
  }

  private ByteBuffer allocate(int capacity) {
    return input.equals("direct") ? ByteBuffer.allocateDirect(capacity)
        : ByteBuffer.allocate(capacity);
  }

  @Benchmark
  public void oneFramePerRead() throws ProtocolException {
    decoder.decode(oneFrame.duplicate(), sink);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void manyFramesPerRead() throws ProtocolException {
    decoder.decode(batch.duplicate(), sink);
  }

  @Benchmark
  public void oneFrameInSegments() throws ProtocolException {
    ByteBuffer bytes = oneFrame.duplicate();
    int end = bytes.limit();
    while (bytes.position() < end) {
      bytes.limit(Math.min(end, bytes.position() + SEGMENT));
      decoder.decode(bytes, sink);
    }
  }
}
