package dev.plumb.rpc.internal;

import io.grpc.internal.WritableBuffer;
import io.grpc.internal.WritableBufferAllocator;
import java.nio.ByteBuffer;

/** A heap buffer that gRPC's message framer fills; its bytes become one DATA payload. */
final class ByteArrayWritableBuffer implements WritableBuffer {
  private final byte[] array;
  private int position;

  private ByteArrayWritableBuffer(int capacity) {
    array = new byte[capacity];
  }

  /** Allocates buffers no larger than one frame, so one buffer is one DATA frame. */
  static WritableBufferAllocator allocator(int maxFrameSize) {
    return capacityHint -> new ByteArrayWritableBuffer(
        Math.min(Math.max(capacityHint, 64), maxFrameSize));
  }

  static ByteBuffer bytesOf(WritableBuffer buffer) {
    ByteArrayWritableBuffer own = (ByteArrayWritableBuffer) buffer;
    return ByteBuffer.wrap(own.array, 0, own.position);
  }

  @Override
  public void write(byte[] src, int srcIndex, int length) {
    System.arraycopy(src, srcIndex, array, position, length);
    position += length;
  }

  @Override
  public void write(byte b) {
    array[position++] = b;
  }

  @Override
  public int writableBytes() {
    return array.length - position;
  }

  @Override
  public int readableBytes() {
    return position;
  }

  @Override
  public void release() {}
}
