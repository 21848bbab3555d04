package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.PooledBytes;
import io.grpc.internal.AbstractReadableBuffer;
import io.grpc.internal.ReadableBuffer;
import io.grpc.internal.ReadableBuffers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The payload of a received DATA frame as the {@link ReadableBuffer} gRPC's deframer reads.
 * When the payload lies in an array lent by the pool, this buffer holds the frame's reference,
 * every slice the deframer cuts from it ({@link #readBytes(int)}) holds one more, and each
 * gives its own back when closed: gRPC closes a message's buffers once the message is parsed,
 * and the rest when the stream ends. A slice may outlive its parent (the deframer closes a
 * buffer it has read to the end while the message sliced from it waits to be parsed), which is
 * why each holds a reference of its own.
 *
 * <p>Used by one thread at a time, as gRPC uses its buffers; reading after close throws.
 */
final class FramePayloadBuffer extends AbstractReadableBuffer {
  private final ByteBuffer bytes;
  /** This buffer's reference; null once closed. */
  private PooledBytes pooled;

  private FramePayloadBuffer(ByteBuffer bytes, PooledBytes pooled) {
    this.bytes = bytes;
    this.pooled = pooled;
  }

  /** The frame's payload for the deframer, which takes over the frame's reference. */
  static ReadableBuffer of(Frame frame) {
    PooledBytes pooled = frame.pooledBytes();
    return pooled == null ? ReadableBuffers.wrap(frame.payload())
        : new FramePayloadBuffer(frame.payload(), pooled);
  }

  @Override
  public int readableBytes() {
    return bytes.remaining();
  }

  @Override
  public int readUnsignedByte() {
    checkReadable(1);
    return open().get() & 0xFF;
  }

  @Override
  public void skipBytes(int length) {
    checkReadable(length);
    bytes.position(bytes.position() + length);
  }

  @Override
  public void readBytes(byte[] dest, int destOffset, int length) {
    checkReadable(length);
    open().get(dest, destOffset, length);
  }

  @Override
  public void readBytes(OutputStream dest, int length) throws IOException {
    checkReadable(length);
    dest.write(open().array(), arrayOffset(), length);
    bytes.position(bytes.position() + length);
  }

  @Override
  public ReadableBuffer readBytes(int length) {
    checkReadable(length);
    ByteBuffer slice = open().duplicate();
    slice.limit(slice.position() + length);
    bytes.position(bytes.position() + length);
    return new FramePayloadBuffer(slice, pooled.retain());
  }

  @Override
  public boolean hasArray() {
    return true;
  }

  @Override
  public byte[] array() {
    return open().array();
  }

  @Override
  public int arrayOffset() {
    return bytes.arrayOffset() + bytes.position();
  }

  @Override
  public boolean markSupported() {
    return true;
  }

  @Override
  public void mark() {
    bytes.mark();
  }

  @Override
  public void reset() {
    bytes.reset();
  }

  @Override
  public boolean byteBufferSupported() {
    return true;
  }

  @Override
  public ByteBuffer getByteBuffer() {
    return open().slice();
  }

  /** Gives this buffer's reference back; further reads throw. Idempotent. */
  @Override
  public void close() {
    if (pooled != null) {
      PooledBytes last = pooled;
      pooled = null;
      last.release();
    }
  }

  private ByteBuffer open() {
    if (pooled == null) {
      throw new IllegalStateException("buffer read after close: its array may be lent again");
    }
    return bytes;
  }
}
