package dev.plumb.examples.share;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.zip.CRC32C;

/**
 * A consumer's account of one call, however its chunks arrive: how many, their bytes and the
 * CRC-32C of those bytes in order, and the time from {@link #start} to {@link #finish}. Not
 * thread-safe: one thread at a time, as gRPC calls a call's callbacks.
 */
final class ShareTally {
  private final CRC32C crc = new CRC32C();
  private long chunks;
  private long bytes;
  private long startNanos;
  private long startMicros;

  /** The call starts now. */
  void start() {
    startNanos = System.nanoTime();
    startMicros = nowMicros();
  }

  /** One chunk that arrived in a message. */
  void add(ByteString chunk) {
    for (ByteBuffer part : chunk.asReadOnlyByteBufferList()) {
      crc.update(part);
    }
    counted(chunk.size());
  }

  /** One chunk read in place, from its position to its limit. */
  void add(ByteBuffer chunk) {
    int length = chunk.remaining();
    crc.update(chunk);
    counted(length);
  }

  private void counted(int length) {
    chunks++;
    bytes += length;
  }

  long chunks() {
    return chunks;
  }

  /** What was received up to now, and {@code problem} (null if none). */
  ShareReceiver.Received finish(String problem) {
    return new ShareReceiver.Received(chunks, bytes, crc.getValue(),
        System.nanoTime() - startNanos, startMicros, nowMicros(), problem);
  }

  private static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
