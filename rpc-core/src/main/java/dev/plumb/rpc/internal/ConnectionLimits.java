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
 * <p>The default total is half this process's file-descriptor limit, at most
 * {@link #DEFAULT_CAP} (docs/TRANSPORTS.md, "Connection limits", says why); the per-peer limit
 * is off by default.
 */
public final class ConnectionLimits {
  /** No limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;
  /**
   * The most connections a server admits by default, whatever the descriptor limit: beyond it,
   * the threads of the blocking transports ({@code unix:} two per connection, {@code shm:}
   * four) cost more than descriptors do.
   */
  public static final int DEFAULT_CAP = 4096;
  /** The default total where the descriptor limit is unknown (not a Unix JVM). */
  static final int DEFAULT_WITHOUT_DESCRIPTOR_LIMIT = 1024;

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
    return new ConnectionLimits(defaultMaxConnections(descriptorLimit()), UNLIMITED, peerOf);
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

  public int maxConnections() {
    return maxConnections;
  }

  public int maxPerPeer() {
    return maxPerPeer;
  }

  /** Half of {@code descriptors} (-1 if unknown), at least 1 and at most {@link #DEFAULT_CAP}. */
  static int defaultMaxConnections(long descriptors) {
    if (descriptors <= 0) {
      return DEFAULT_WITHOUT_DESCRIPTOR_LIMIT;
    }
    return (int) Math.max(1, Math.min(DEFAULT_CAP, descriptors / 2));
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
