package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.StringJoiner;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Which peers one end accepts: its own uid, root, and the uids and gids of its allow-list. A
 * server's policy says who may connect to it ({@code allowUids}, {@code allowGids}); a client's
 * whom it trusts as the server ({@code serverUids}, {@link TrustedServer}). The peer's ids are
 * the kernel's (SO_PEERCRED: the effective uid and gid of the process when it connected or
 * listened); supplementary groups are not visible there, so {@code allowGids} matches the
 * peer's effective gid only. A peer whose credentials cannot be read is refused.
 */
final class AccessPolicy {
  private static volatile PeerCredentials self;

  private final long ownUid;
  /** Who this end is, for messages: {@code this server}, {@code this client}. */
  private final String ownRole;
  private final Set<Long> allowUids;
  private final Set<Long> allowGids;

  AccessPolicy(long ownUid, String ownRole, Set<Long> allowUids, Set<Long> allowGids) {
    this.ownUid = ownUid;
    this.ownRole = ownRole;
    this.allowUids = allowUids;
    this.allowGids = allowGids;
  }

  /** Who may connect to a server with these options. */
  static AccessPolicy of(UnixOptions options) {
    return new AccessPolicy(ownUid(), "this server", options.allowUids, options.allowGids);
  }

  /** Whom a client trusts as the server: itself, root and {@code serverUids}. */
  static AccessPolicy trustedServers(Set<Long> serverUids) {
    return new AccessPolicy(ownUid(), "this client", serverUids, Set.of());
  }

  private static long ownUid() {
    return self().uid().orElseThrow(
        () -> new IllegalStateException("cannot tell this process's own uid"));
  }

  /** Whether {@code peer} is one this policy accepts. */
  boolean admits(PeerCredentials peer) {
    if (peer.uid().isEmpty()) {
      return false;
    }
    long uid = peer.uid().getAsLong();
    return uid == ownUid || uid == 0 || allowUids.contains(uid)
        || peer.gid().isPresent() && allowGids.contains(peer.gid().getAsLong());
  }

  /** Why {@code peer} may not connect, or null if it may. */
  String refusalReason(PeerCredentials peer) {
    if (admits(peer)) {
      return null;
    }
    return peer.uid().isEmpty() ? "the peer's credentials are unknown"
        : describeIds(peer) + " is not allowed to connect";
  }

  /** {@code uid 1001 (gid 1001)}, or without the gid if it is unknown. */
  static String describeIds(PeerCredentials peer) {
    return "uid " + peer.uid().orElse(-1)
        + (peer.gid().isPresent() ? " (gid " + peer.gid().getAsLong() + ")" : "");
  }

  /** What this policy admits, for the log: {@code admitted: uid 1000 (this server), ...}. */
  String describe() {
    return "admitted: " + admittedIds();
  }

  /** The ids this policy admits: {@code uid 1000 (this client), uid 0 (root), ...}. */
  String admittedIds() {
    StringJoiner admitted = new StringJoiner(", ");
    admitted.add("uid " + ownUid + " (" + ownRole + ")");
    if (ownUid != 0) {
      admitted.add("uid 0 (root)");
    }
    allowUids.forEach(uid -> admitted.add("uid " + uid));
    allowGids.forEach(gid -> admitted.add("gid " + gid));
    return admitted.toString();
  }

  /**
   * This process's own pid, uid and gid as the kernel reports them to peers: read through a
   * socket pair, so they are the effective ids that SO_PEERCRED shows the other side.
   */
  static PeerCredentials self() {
    PeerCredentials known = self;
    if (known == null) {
      try {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair =
            AFUNIXSelectorProvider.provider().openSocketChannelPair();
        try (AFUNIXSocketChannel one = pair.getSocket1();
            AFUNIXSocketChannel two = pair.getSocket2()) {
          known = credentials(one.getPeerCredentials());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read this process's own credentials", e);
      }
      self = known;
    }
    return known;
  }

  static PeerCredentials credentials(AFUNIXSocketCredentials credentials) {
    if (credentials == null) {
      return PeerCredentials.of(-1, -1, -1);
    }
    return PeerCredentials.of(credentials.getPid(), credentials.getUid(), credentials.getGid());
  }
}
