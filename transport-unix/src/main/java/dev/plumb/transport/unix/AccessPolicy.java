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
 * Who may connect to a server: its own uid, root, and the uids and gids of its allow-list. The
 * peer's ids are the kernel's (SO_PEERCRED: the effective uid and gid of the process when it
 * connected); supplementary groups are not visible there, so {@code allowGids} matches the
 * peer's effective gid only. A peer whose credentials cannot be read is refused.
 */
final class AccessPolicy {
  private static volatile PeerCredentials self;

  private final long ownUid;
  private final Set<Long> allowUids;
  private final Set<Long> allowGids;

  AccessPolicy(long ownUid, Set<Long> allowUids, Set<Long> allowGids) {
    this.ownUid = ownUid;
    this.allowUids = allowUids;
    this.allowGids = allowGids;
  }

  static AccessPolicy of(UnixOptions options) {
    long uid = self().uid().orElseThrow(
        () -> new IllegalStateException("cannot tell this process's own uid"));
    return new AccessPolicy(uid, options.allowUids, options.allowGids);
  }

  /** Why {@code peer} may not connect, or null if it may. */
  String refusalReason(PeerCredentials peer) {
    if (peer.uid().isEmpty()) {
      return "the peer's credentials are unknown";
    }
    long uid = peer.uid().getAsLong();
    if (uid == ownUid || uid == 0 || allowUids.contains(uid)) {
      return null;
    }
    if (peer.gid().isPresent() && allowGids.contains(peer.gid().getAsLong())) {
      return null;
    }
    return "uid " + uid + (peer.gid().isPresent() ? " (gid " + peer.gid().getAsLong() + ")" : "")
        + " is not allowed to connect";
  }

  /** What this policy admits, for the server's log. */
  String describe() {
    StringJoiner admitted = new StringJoiner(", ", "admitted: ", "");
    admitted.add("uid " + ownUid + " (this server)");
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
