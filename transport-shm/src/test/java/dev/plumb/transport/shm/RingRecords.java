package dev.plumb.transport.shm;

import java.nio.ByteBuffer;

/** Whole records for ring tests, written through the ring's own claim and commit. */
final class RingRecords {
  private RingRecords() {}

  /**
   * Appends {@code payload}'s remaining bytes as one record, consuming them; producer thread
   * only. False if the ring has no room now (nothing was written).
   */
  static boolean offer(SpscRing ring, ByteBuffer payload) {
    ByteBuffer space = ring.tryClaim(payload.remaining());
    if (space == null) {
      return false;
    }
    space.put(payload);
    ring.commit();
    return true;
  }
}
