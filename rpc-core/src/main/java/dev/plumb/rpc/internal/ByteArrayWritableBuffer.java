package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.PayloadPool;
import dev.plumb.rpc.frame.PooledBytes;
import io.grpc.internal.WritableBuffer;
import io.grpc.internal.WritableBufferAllocator;
import java.nio.ByteBuffer;

/**
 * A heap buffer that gRPC's message framer fills; its bytes become one DATA payload. Buffers
 * of {@link PayloadPool#SMALLEST} bytes or more borrow their array from the shared pool, and
 * the frame made of them takes the loan over.
 */
final class ByteArrayWritableBuffer implements WritableBuffer {
  private final byte[] array;
  /** Where this buffer ends: a lent array may be longer than the frame may be. */
  private final int capacity;
  /** The lent array, or null; owned by this buffer until it becomes a frame. */
  private final PooledBytes pooled;
  private int position;

  private ByteArrayWritableBuffer(int capacity) {
    this.capacity = capacity;
    this.pooled = PayloadPool.shared().take(capacity);
    this.array = pooled != null ? pooled.array() : new byte[capacity];
  }

  /** Allocates buffers no larger than one frame, so one buffer is one DATA frame. */
  static WritableBufferAllocator allocator(int maxFrameSize) {
    return capacityHint -> new ByteArrayWritableBuffer(
        Math.min(Math.max(capacityHint, 64), maxFrameSize));
  }

  /**
   * A DATA frame (stream id to be set when it is sent) of what was written to {@code buffer},
   * or of nothing if it is null. The frame owns the bytes from now on.
   */
  static Frame dataFrame(WritableBuffer buffer, int flags) {
    if (buffer == null) {
      return Frame.of(FrameType.DATA, flags, 0, (ByteBuffer) null);
    }
    ByteArrayWritableBuffer own = (ByteArrayWritableBuffer) buffer;
    return own.pooled != null
        ? Frame.pooled(FrameType.DATA, flags, 0, own.pooled, own.position)
        : Frame.of(FrameType.DATA, flags, 0, ByteBuffer.wrap(own.array, 0, own.position));
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
    return capacity - position;
  }

  @Override
  public int readableBytes() {
    return position;
  }

  /** The framer drops a buffer it never sent (a stream cancelled mid-message). */
  @Override
  public void release() {
    if (pooled != null) {
      pooled.release();
    }
  }
}
