package dev.plumb.transport.shm;

import dev.plumb.rpc.kit.Units;
import java.util.List;
import java.util.StringJoiner;

/**
 * The options of an {@code shm:} address besides the rendezvous socket's access options
 * ({@code mode}, {@code allowUids}, {@code allowGids}, as for {@code unix:}):
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>value</th><th>default</th><th>read by</th></tr>
 *   <tr><td>{@code ringSize}</td><td>bytes of each ring's data area, a power of two from 4k to
 *       512m, written as bytes or with k, m, g (1024-based)</td><td>1m</td><td>the server (it
 *       creates the segment)</td></tr>
 *   <tr><td>{@code idle}</td><td>{@code backoff}: spin, then yield, then sleep until a doorbell;
 *       {@code spin}: busy-spin, never sleep (a core per waiting thread, lowest
 *       latency)</td><td>backoff</td><td>each side for its own threads</td></tr>
 * </table>
 */
final class ShmOptions {
  static final String RING_SIZE = "ringSize";
  static final String IDLE = "idle";
  static final List<String> KEYS = List.of(RING_SIZE, IDLE);
  static final int DEFAULT_RING_SIZE = 1 << 20;

  final int ringSize;
  final IdleStrategy idle;

  ShmOptions(int ringSize, IdleStrategy idle) {
    RingDescriptor.checkCapacity(ringSize);
    this.ringSize = ringSize;
    this.idle = idle;
  }

  /**
   * @param ringSize the raw {@code ringSize} value, or null for the default
   * @param idle the raw {@code idle} value, or null for the default
   * @throws IllegalArgumentException naming the key, the value and what is accepted
   */
  static ShmOptions parse(String ringSize, String idle, String uri) {
    return new ShmOptions(ringSize == null ? DEFAULT_RING_SIZE : parseSize(ringSize, uri),
        idle == null ? IdleStrategy.BACKOFF : parseIdle(idle, uri));
  }

  private static int parseSize(String value, String uri) {
    String accepted = "; option 'ringSize' must be a power of two from 4k to 512m bytes (both"
        + " rings share one segment, mapped as one buffer of less than 2 GiB), written as bytes"
        + " or with the suffix k, m or g (1024-based), e.g. ringSize=1m";
    long bytes;
    try {
      bytes = Units.parseSize(value, Long.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': '" + value + "' is not a size" + accepted,
          e);
    }
    if (bytes < RingDescriptor.MIN_CAPACITY || bytes > RingDescriptor.MAX_CAPACITY
        || Long.bitCount(bytes) != 1) {
      throw new IllegalArgumentException("'" + uri + "': ringSize '" + value + "' is " + bytes
          + " bytes" + accepted);
    }
    return (int) bytes;
  }

  private static IdleStrategy parseIdle(String value, String uri) {
    for (IdleStrategy strategy : IdleStrategy.values()) {
      if (strategy.optionValue().equals(value)) {
        return strategy;
      }
    }
    throw new IllegalArgumentException("'" + uri + "': option 'idle' must be backoff (spin,"
        + " then yield, then sleep: the default) or spin (never sleep); got '" + value + "'");
  }

  /** The options that differ from the defaults, canonical, in a fixed order; null if none. */
  String toQuery() {
    StringJoiner query = new StringJoiner("&");
    if (ringSize != DEFAULT_RING_SIZE) {
      query.add(RING_SIZE + "=" + formatSize(ringSize));
    }
    if (idle != IdleStrategy.BACKOFF) {
      query.add(IDLE + "=" + idle.optionValue());
    }
    return query.length() == 0 ? null : query.toString();
  }

  static String formatSize(int bytes) {
    if (bytes % (1 << 30) == 0) {
      return bytes / (1 << 30) + "g";
    }
    if (bytes % (1 << 20) == 0) {
      return bytes / (1 << 20) + "m";
    }
    return bytes / 1024 + "k";
  }
}
