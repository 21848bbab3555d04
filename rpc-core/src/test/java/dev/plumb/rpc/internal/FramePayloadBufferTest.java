package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.PayloadPool;
import dev.plumb.rpc.frame.PooledBytes;
import dev.plumb.rpc.frame.TestPools;
import io.grpc.Codec;
import io.grpc.internal.MessageDeframer;
import io.grpc.internal.ReadableBuffer;
import io.grpc.internal.StatsTraceContext;
import io.grpc.internal.StreamListener;
import io.grpc.internal.TransportTracer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A received payload's lent array goes back only when gRPC is done with every byte of it. */
@Timeout(10)
class FramePayloadBufferTest {
  private final PayloadPool pool = TestPools.newPool();

  @Test
  void aSliceKeepsTheArrayAfterItsParentCloses() {
    byte[] content = pattern(4000, 1);
    ReadableBuffer buffer = FramePayloadBuffer.of(pooledFrame(content));
    buffer.skipBytes(10);
    ReadableBuffer slice = buffer.readBytes(1000);
    buffer.skipBytes(buffer.readableBytes());
    buffer.close();
    assertEquals(0, freeArrays(), "given back while a slice still reads it");

    byte[] read = new byte[1000];
    slice.readBytes(read, 0, read.length);
    assertArrayEquals(Arrays.copyOfRange(content, 10, 1010), read);
    slice.close();
    assertEquals(1, freeArrays());
  }

  @Test
  void closingTwiceGivesBackOnceAndReadingAfterCloseFails() {
    ReadableBuffer buffer = FramePayloadBuffer.of(pooledFrame(pattern(2000, 2)));
    ReadableBuffer slice = buffer.readBytes(100);
    buffer.close();
    buffer.close();
    assertEquals(0, freeArrays());
    assertThrows(IllegalStateException.class, buffer::readUnsignedByte);
    assertThrows(IllegalStateException.class, () -> buffer.readBytes(new byte[1], 0, 1));
    slice.close();
    assertEquals(1, freeArrays());
  }

  @Test
  void payloadsNotFromThePoolAreReadAsTheyAre() {
    byte[] content = pattern(300, 3);
    ReadableBuffer buffer = FramePayloadBuffer.of(Frame.of(FrameType.DATA, 0, 1, content));
    assertFalse(buffer instanceof FramePayloadBuffer);
    byte[] read = new byte[300];
    buffer.readBytes(read, 0, read.length);
    assertArrayEquals(content, read);
    buffer.close();
  }

  /**
   * gRPC's own deframer over two frames whose message boundaries fall mid-frame: every message
   * arrives whole, and both arrays go back once the messages are read and closed.
   */
  @Test
  void grpcsDeframerReadsEveryMessageAndGivesEveryArrayBack() throws Exception {
    List<byte[]> messages = List.of(pattern(1500, 4), pattern(3000, 5), pattern(2500, 6));
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      wire.write(ByteBuffer.allocate(5).put((byte) 0).putInt(message.length).array());
      wire.write(message);
    }
    byte[] bytes = wire.toByteArray();
    List<InputStream> received = new ArrayList<>();
    MessageDeframer deframer = new MessageDeframer(new CollectingListener(received),
        Codec.Identity.NONE, Integer.MAX_VALUE, StatsTraceContext.NOOP, new TransportTracer());
    deframer.request(messages.size());
    deframer.deframe(FramePayloadBuffer.of(pooledFrame(Arrays.copyOfRange(bytes, 0, 4000))));
    deframer.deframe(FramePayloadBuffer.of(pooledFrame(Arrays.copyOfRange(bytes, 4000,
        bytes.length))));
    assertEquals(messages.size(), received.size());
    assertEquals(0, freeArrays(), "given back before the messages were read");

    for (int i = 0; i < messages.size(); i++) {
      try (InputStream message = received.get(i)) {
        assertArrayEquals(messages.get(i), message.readAllBytes(), "message " + i);
      }
    }
    deframer.close();
    assertEquals(2, freeArrays());
  }

  /** A DATA frame of {@code content} (at most 4 KiB) in an array of the 4 KiB class. */
  private Frame pooledFrame(byte[] content) {
    PooledBytes bytes = pool.take(4096);
    System.arraycopy(content, 0, bytes.array(), 0, content.length);
    return Frame.pooled(FrameType.DATA, 0, 1, bytes, content.length);
  }

  /** Free arrays of the 4 KiB class, which every payload here borrows from. */
  private int freeArrays() {
    return TestPools.freeArrays(pool, 4096);
  }

  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }

  private static final class CollectingListener implements MessageDeframer.Listener {
    private final List<InputStream> received;

    CollectingListener(List<InputStream> received) {
      this.received = received;
    }

    @Override
    public void bytesRead(int numBytes) {}

    @Override
    public void messagesAvailable(StreamListener.MessageProducer producer) {
      InputStream message;
      while ((message = producer.next()) != null) {
        received.add(message);
      }
    }

    @Override
    public void deframerClosed(boolean hasPartialMessage) {}

    @Override
    public void deframeFailed(Throwable cause) {
      throw new AssertionError(cause);
    }
  }
}
