package dev.plumb.transport.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of one {@code shm:} connection's shared-memory segment: a header, then the
 * client-to-server ring, then the server-to-client ring, each laid out as
 * {@link RingDescriptor} draws it. All integers in native byte order (both ends are on one
 * host).
 *
 * <pre>
 *   header (128 bytes, written once by the server, read-only afterwards)
 *   0         8         12        16        24        32        40               128
 *   +---------+---------+---------+---------+---------+---------+----------------+
 *   | magic   | layout  | ring    | c2s     | s2c     | segment | zero            |
 *   | "PLUMB  | version | capacity| ring    | ring    | length  |                 |
 *   |  SHM\0" | (int)   | (int)   | offset  | offset  | (long)  |                 |
 *   +---------+---------+---------+---------+---------+---------+----------------+
 *
 *   segment
 *   0        128                        128 + R        128 + R + 128             L
 *   +--------+--------------------------+--------------+--------------------------+
 *   | header | client-to-server ring    | gap (against | server-to-client ring    |
 *   |        | R = 384 + capacity bytes | prefetch)    | R = 384 + capacity bytes |
 *   +--------+--------------------------+--------------+--------------------------+
 * </pre>
 *
 * <p>The server fills in every field but the version, then writes the version last with a
 * release store: a version of 0 means "not ready", so a reader that sees the right version
 * (with an acquire load) sees every other field too. The client checks magic, version,
 * capacity and the offsets against the segment's real size before it touches a ring, and
 * refuses a segment that does not match ({@link #validate}).
 */
public final class SegmentDescriptor {
  /** "PLUMBSHM" as bytes, read as a native-order long. */
  static final byte[] MAGIC = "PLUMBSHM".getBytes(StandardCharsets.US_ASCII);
  /** This layout's version; another version is refused. */
  public static final int LAYOUT_VERSION = 1;

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 8;
  public static final int CAPACITY_OFFSET = 12;
  public static final int CLIENT_TO_SERVER_OFFSET_OFFSET = 16;
  public static final int SERVER_TO_CLIENT_OFFSET_OFFSET = 24;
  public static final int SEGMENT_LENGTH_OFFSET = 32;
  public static final int HEADER_LENGTH = 2 * RingDescriptor.CACHE_LINE;
  /** Between the rings, so that the end of one's data and the other's tail share no line. */
  public static final int RING_GAP = 2 * RingDescriptor.CACHE_LINE;

  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private SegmentDescriptor() {}

  /** Where the client-to-server ring starts. */
  public static long clientToServerOffset(int capacity) {
    return HEADER_LENGTH;
  }

  /** Where the server-to-client ring starts. */
  public static long serverToClientOffset(int capacity) {
    return HEADER_LENGTH + RingDescriptor.ringLength(capacity) + RING_GAP;
  }

  /** The whole segment's length for rings of {@code capacity} data bytes each. */
  public static long segmentLength(int capacity) {
    return serverToClientOffset(capacity) + RingDescriptor.ringLength(capacity);
  }

  /**
   * Server: writes the header into a zeroed segment of {@link #segmentLength} bytes, the
   * version last (release), which makes it ready.
   */
  public static void write(ByteBuffer segment, int capacity) {
    ByteBuffer out = segment.duplicate().order(ByteOrder.nativeOrder());
    out.put(MAGIC_OFFSET, MAGIC);
    out.putInt(CAPACITY_OFFSET, capacity);
    out.putLong(CLIENT_TO_SERVER_OFFSET_OFFSET, clientToServerOffset(capacity));
    out.putLong(SERVER_TO_CLIENT_OFFSET_OFFSET, serverToClientOffset(capacity));
    out.putLong(SEGMENT_LENGTH_OFFSET, segmentLength(capacity));
    // Release: every field above is visible to whoever reads this version with acquire.
    INTS.setRelease(out, VERSION_OFFSET, LAYOUT_VERSION);
  }

  /** Why a segment was refused. */
  public static final class BadSegmentException extends Exception {
    private static final long serialVersionUID = 1L;

    BadSegmentException(String message) {
      super(message);
    }
  }

  /**
   * Client: checks a mapped segment of {@code actualLength} bytes and returns its ring
   * capacity.
   *
   * @throws BadSegmentException naming the field that does not match and both values
   */
  public static int validate(ByteBuffer segment, long actualLength) throws BadSegmentException {
    if (actualLength < HEADER_LENGTH) {
      throw new BadSegmentException("the shared-memory segment is " + actualLength
          + " bytes long, shorter than its " + HEADER_LENGTH + "-byte header");
    }
    ByteBuffer in = segment.duplicate().order(ByteOrder.nativeOrder());
    // Acquire: pairs with the server's release store of the version, written last.
    int version = (int) INTS.getAcquire(in, VERSION_OFFSET);
    byte[] magic = new byte[MAGIC.length];
    in.get(MAGIC_OFFSET, magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new BadSegmentException("the shared-memory segment does not start with the shm:"
          + " magic \"PLUMBSHM\" but with " + dev.plumb.rpc.frame.Preface.quote(magic)
          + " (not a Plumb shm: server?)");
    }
    if (version != LAYOUT_VERSION) {
      throw new BadSegmentException(version == 0
          ? "the shared-memory segment's header is not ready (layout version 0)"
          : "the shared-memory segment has layout version " + version + ", this side reads"
              + " version " + LAYOUT_VERSION + " (mixed Plumb versions?)");
    }
    int capacity = in.getInt(CAPACITY_OFFSET);
    try {
      RingDescriptor.checkCapacity(capacity);
    } catch (IllegalArgumentException e) {
      throw new BadSegmentException("the shared-memory segment's " + e.getMessage());
    }
    long expected = segmentLength(capacity);
    if (in.getLong(SEGMENT_LENGTH_OFFSET) != expected || actualLength != expected
        || in.getLong(CLIENT_TO_SERVER_OFFSET_OFFSET) != clientToServerOffset(capacity)
        || in.getLong(SERVER_TO_CLIENT_OFFSET_OFFSET) != serverToClientOffset(capacity)) {
      throw new BadSegmentException("the shared-memory segment's size does not match its rings:"
          + " rings of " + capacity + " bytes need a segment of " + expected + " bytes (c2s at "
          + clientToServerOffset(capacity) + ", s2c at " + serverToClientOffset(capacity)
          + "); the header says " + in.getLong(SEGMENT_LENGTH_OFFSET) + " bytes (c2s at "
          + in.getLong(CLIENT_TO_SERVER_OFFSET_OFFSET) + ", s2c at "
          + in.getLong(SERVER_TO_CLIENT_OFFSET_OFFSET) + "), the file is " + actualLength);
    }
    return capacity;
  }
}
