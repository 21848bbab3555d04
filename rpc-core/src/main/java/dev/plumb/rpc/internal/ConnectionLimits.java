package dev.plumb.rpc.internal;

import io.grpc.Attributes;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.Function;

/**
 * How many connections a server admits at once: in all ({@code maxConnections}) and from one
 * peer ({@code maxConnectionsPerPeer}), and how a connection's peer is named for the second.
 * Immutable; {@link dev.plumb.rpc.PlumbServerBuilder} makes one per server.
 *
 * <p>The default total protects what a flood of connections exhausts first: half this
 * process's file-descriptor limit (every transport holds one or more per connection), one
 * connection per {@link #HEAP_PER_CONNECTION} of the maximum heap (a {@code unix:} connection's
 * buffers alone take 137 KiB), and at most {@link #DEFAULT_CAP} (threads). docs/TRANSPORTS.md,
 * "Connection limits", has the measurements behind it. The per-peer limit is off by default.
 */
public final class ConnectionLimits {
  /** No limit. */
  static final int UNLIMITED = Integer.MAX_VALUE;
  /**
   * The most connections a server admits by default, whatever the descriptor limit: beyond it,
   * the threads of the blocking transports ({@code unix:} two per connection, {@code shm:}
   * four) cost more than descriptors do.
   */
  static final int DEFAULT_CAP = 4096;
  /** The default total where the descriptor limit is unknown (not a Unix JVM). */
  static final int DEFAULT_WITHOUT_DESCRIPTOR_LIMIT = 1024;
  /**
   * Heap the default allows per connection: about four times what a {@code unix:} connection's
   * buffers take, so that at the limit they fill at most a quarter of the heap.
   */
  static final long HEAP_PER_CONNECTION = 512 * 1024;

  final int maxConnections;
  final int maxPerPeer;
  /** The peer of a connection from its attributes, e.g. "uid 1000"; null if unknown. */
  final Function<Attributes, String> peerOf;

  private ConnectionLimits(int maxConnections, int maxPerPeer,
      Function<Attributes, String> peerOf) {
    this.maxConnections = maxConnections;
    this.maxPerPeer = maxPerPeer;
    this.peerOf = peerOf;
  }

  /**
   * The defaults, with {@code peerOf} naming a connection's peer for the per-peer limit (null
   * where the transport does not tell who the peer is: such connections count only in all).
   */
  public static ConnectionLimits defaults(Function<Attributes, String> peerOf) {
    return new ConnectionLimits(
        defaultMaxConnections(descriptorLimit(), Runtime.getRuntime().maxMemory()), UNLIMITED,
        peerOf);
  }

  /** At least 1; {@link #UNLIMITED} lifts the limit. */
  public ConnectionLimits withMaxConnections(int connections) {
    return new ConnectionLimits(checked("maxConnections", connections), maxPerPeer, peerOf);
  }

  /** At least 1; {@link #UNLIMITED} (the default) lifts the limit. */
  public ConnectionLimits withMaxPerPeer(int connections) {
    return new ConnectionLimits(maxConnections, checked("maxConnectionsPerPeer", connections),
        peerOf);
  }

  int maxConnections() {
    return maxConnections;
  }

  int maxPerPeer() {
    return maxPerPeer;
  }

  /**
   * The smallest of half of {@code descriptors} ({@link #DEFAULT_WITHOUT_DESCRIPTOR_LIMIT} if
   * unknown: -1), {@code maxHeapBytes} over {@link #HEAP_PER_CONNECTION}, and
   * {@link #DEFAULT_CAP}; at least 1.
   */
  static int defaultMaxConnections(long descriptors, long maxHeapBytes) {
    long byDescriptors = descriptors > 0 ? descriptors / 2 : DEFAULT_WITHOUT_DESCRIPTOR_LIMIT;
    long byHeap = maxHeapBytes / HEAP_PER_CONNECTION;
    return (int) Math.max(1, Math.min(DEFAULT_CAP, Math.min(byDescriptors, byHeap)));
  }

  /**
   * The most file descriptors this process may have open (RLIMIT_NOFILE as the JVM left it;
   * HotSpot raises the soft limit to the hard one at start), or -1 where the JVM cannot tell.
   */
  static long descriptorLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
      return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
    }
    return -1;
  }

  private static int checked(String name, int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException(name + " must be at least 1; got " + connections);
    }
    return connections;
  }
}
