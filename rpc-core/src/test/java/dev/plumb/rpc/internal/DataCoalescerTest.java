package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import io.grpc.Status;
import io.grpc.internal.ReadableBuffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataCoalescerTest {
  private final DataCoalescer coalescer = new DataCoalescer();

  @Test
  void tinyFramesThatArriveTogetherReachGrpcAsOneBuffer() {
    Stream stream = new Stream();
    for (int i = 0; i < 1000; i++) {
      coalescer.received(stream, data(new byte[] {(byte) i}, 0));
    }
    assertTrue(stream.buffers.isEmpty(), "handed over before the read was complete");
    coalescer.flushAll();
    assertEquals(1, stream.buffers.size());
    byte[] expected = new byte[1000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) i;
    }
    assertArrayEquals(expected, stream.bytes());
  }

  @Test
  void aFrameThatArrivesAloneIsHandedOverAsItIs() {
    Stream stream = new Stream();
    byte[] payload = {1, 2, 3};
    coalescer.received(stream, data(payload, 0));
    coalescer.flushAll();
    assertEquals(List.of(3), stream.sizes());
    assertSame(payload, stream.buffers.get(0).array(), "copied");
  }

  @Test
  void heldDataGoesBeforeALargeFrameOrTheEndOfTheStream() {
    Stream stream = new Stream();
    coalescer.received(stream, data(new byte[] {1}, 0));
    coalescer.received(stream, data(new byte[] {2}, 0));
    coalescer.received(stream, data(new byte[DataCoalescer.SMALL], 0));
    coalescer.received(stream, data(new byte[] {3}, 0));
    coalescer.received(stream, data(new byte[] {4}, Frame.FLAG_END_STREAM));
    assertEquals(List.of(2, DataCoalescer.SMALL, 1, 1), stream.sizes());
    assertEquals(List.of(false, false, false, true), stream.ends);
    coalescer.flushAll();
    assertEquals(4, stream.buffers.size(), "nothing was left to hand over");
  }

  @Test
  void mergedBuffersStayBelowTheirLimitAndAtLeastHalfFull() {
    Stream stream = new Stream();
    byte[] all = new byte[100 * 700];
    for (int i = 0; i < 700; i++) {
      byte[] part = new byte[100];
      for (int j = 0; j < part.length; j++) {
        part[j] = (byte) (i * 7 + j);
      }
      System.arraycopy(part, 0, all, i * 100, 100);
      coalescer.received(stream, data(part, 0));
    }
    coalescer.flushAll();
    for (int i = 0; i < stream.buffers.size(); i++) {
      ReadableBuffer buffer = stream.buffers.get(i);
      assertTrue(buffer.readableBytes() <= DataCoalescer.MERGED_MAX);
      assertTrue(2 * buffer.readableBytes() >= buffer.array().length,
          "buffer " + i + " holds " + buffer.readableBytes() + " bytes in an array of "
              + buffer.array().length);
    }
    assertArrayEquals(all, stream.bytes());
  }

  @Test
  void streamsAreMergedApartAndAClosedStreamGetsNothing() {
    Stream first = new Stream();
    Stream second = new Stream();
    for (int i = 0; i < 10; i++) {
      coalescer.received(first, data(new byte[] {(byte) i}, 0));
      coalescer.received(second, data(new byte[] {(byte) (100 + i)}, 0));
    }
    second.closed = true;
    coalescer.flushAll();
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, first.bytes());
    assertTrue(second.buffers.isEmpty());
  }

  private static Frame data(byte[] payload, int flags) {
    return Frame.of(FrameType.DATA, flags, 1, payload);
  }

  /** A stream that records what it would hand to gRPC. */
  private static final class Stream extends StreamRecord {
    final List<ReadableBuffer> buffers = new ArrayList<>();
    final List<Boolean> ends = new ArrayList<>();

    @Override
    void onDataSent(int bytes) {}

    @Override
    void onControlFrameSent(Frame frame) {}

    @Override
    void onAttachmentsFailed(Status status) {
      throw new AssertionError("the coalescer sends no attachments: " + status);
    }

    @Override
    void onDataReceived(ReadableBuffer data, boolean endOfStream) {
      buffers.add(data);
      ends.add(endOfStream);
    }

    List<Integer> sizes() {
      List<Integer> sizes = new ArrayList<>();
      buffers.forEach(buffer -> sizes.add(buffer.readableBytes()));
      return sizes;
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ReadableBuffer buffer : buffers) {
        byte[] part = new byte[buffer.readableBytes()];
        buffer.readBytes(part, 0, part.length);
        out.write(part, 0, part.length);
      }
      return out.toByteArray();
    }
  }
}
