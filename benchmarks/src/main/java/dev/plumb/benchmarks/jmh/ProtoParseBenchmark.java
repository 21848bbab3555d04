package dev.plumb.benchmarks.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import io.grpc.MethodDescriptor;
import io.grpc.internal.CompositeReadableBuffer;
import io.grpc.internal.ReadableBuffers;
import java.io.IOException;
import java.util.Arrays;
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
 * What receiving one large {@code Payload} message (a {@code bytes} field of
 * {@code payloadSize} bytes) costs after the link: its wire bytes are copied into a reused
 * receive array, as a transport's decoder copies a frame into a pooled payload array, then
 * parsed (docs/BENCHMARKS.md, "Copies of a large message"):
 * <ul>
 *   <li>{@code grpc}: grpc-java's protobuf marshaller, over the stream gRPC's deframer hands it
 *       (the payload in {@value #FRAME}-byte frames): it copies the message into a thread-local
 *       array, then protobuf copies the field out of that into its {@code ByteString};
 *   <li>{@code inPlace}: protobuf parses the receive array itself and copies the field out
 *       once (possible where the message lies in one array);
 *   <li>{@code ownArray}: the message is copied once into an array of its own, which the field
 *       then shares (protobuf's aliasing);
 *   <li>{@code receiveCopy} and {@code freshCopy}: the parts the others are made of, a copy
 *       into the reused array alone, and that copy followed by one into a fresh array.
 * </ul>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProtoParseBenchmark {
  /** Plumb's default largest frame payload. */
  static final int FRAME = 64 * 1024;

  @Param({"4096", "262144"})
  public int payloadSize;

  private byte[] wire;
  private byte[] received;
  private MethodDescriptor<Payload, Payload> method;

  @Setup
  public void setUp() {
    byte[] data = new byte[payloadSize];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    wire = Payload.newBuilder().setData(ByteString.copyFrom(data)).build().toByteArray();
    received = new byte[wire.length];
    method = EchoGrpc.getStreamMethod();
  }

  @Benchmark
  public Payload grpc() {
    receiveCopy();
    CompositeReadableBuffer frames = new CompositeReadableBuffer();
    for (int offset = 0; offset < received.length; offset += FRAME) {
      frames.addBuffer(ReadableBuffers.wrap(received, offset,
          Math.min(FRAME, received.length - offset)));
    }
    return method.parseRequest(ReadableBuffers.openStream(frames, true));
  }

  @Benchmark
  public Payload inPlace() throws IOException {
    receiveCopy();
    return Payload.parseFrom(CodedInputStream.newInstance(received, 0, received.length));
  }

  @Benchmark
  public Payload ownArray() throws IOException {
    receiveCopy();
    byte[] own = new byte[received.length];
    System.arraycopy(received, 0, own, 0, own.length);
    CodedInputStream input = UnsafeByteOperations.unsafeWrap(own).newCodedInput();
    input.enableAliasing(true);
    return Payload.parseFrom(input);
  }

  /** The link's copy into the payload array the decoder fills, which is reused. */
  @Benchmark
  public byte[] receiveCopy() {
    System.arraycopy(wire, 0, received, 0, wire.length);
    return received;
  }

  @Benchmark
  public byte[] freshCopy() {
    return Arrays.copyOf(receiveCopy(), received.length);
  }
}
