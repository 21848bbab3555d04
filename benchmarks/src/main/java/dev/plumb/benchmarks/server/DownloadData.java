package dev.plumb.benchmarks.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.plumb.shared.SharedBuffer;
import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * What the transfer row hands over, made once per server process before anything is timed:
 * pseudo-random bytes in the heap (streamed chunks are slices of them) and the same bytes in a
 * sealed shared buffer, with their checksum.
 *
 * @param bytes the heap copy, wrapped without a copy: nothing writes the array after it is made
 * @param shared the shared buffer's reference; nothing closes the buffer, so it stays open (and
 *     the reference opens) for the life of the process
 * @param crc32c CRC32C of the bytes in order
 */
record DownloadData(ByteString bytes, SharedBytes shared, long crc32c) {
  private static final long SEED = 0x5eed_da7aL;
  /**
   * Writes into the shared buffer go in pieces this large: a FileChannel writes a heap array
   * through a temporary direct buffer as large as the write.
   */
  private static final int WRITE_PIECE = 1 << 20;

  static DownloadData make(long size) throws IOException {
    if (size <= 0 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cannot make " + size + " bytes in one array");
    }
    byte[] data = new byte[(int) size];
    new SplittableRandom(SEED).nextBytes(data);
    CRC32C crc = new CRC32C();
    crc.update(data);
    SharedBuffer buffer = SharedBuffer.allocate(size);
    for (int at = 0; at < data.length; at += WRITE_PIECE) {
      buffer.write(at, data, at, Math.min(WRITE_PIECE, data.length - at));
    }
    return new DownloadData(UnsafeByteOperations.unsafeWrap(data), buffer.seal(),
        crc.getValue());
  }
}
