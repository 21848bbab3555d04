package dev.plumb.rpc;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Who is on the other end of a connection, as far as the transport can tell: the process id,
 * user id and group id of the peer. A value the transport cannot know is empty, never guessed.
 * Visible to services as {@link PlumbAttributes#PEER_CREDENTIALS} in the call's attributes.
 */
public final class PeerCredentials {
  private static final long UNKNOWN = -1;

  private final long pid;
  private final long uid;
  private final long gid;

  private PeerCredentials(long pid, long uid, long gid) {
    this.pid = pid;
    this.uid = uid;
    this.gid = gid;
  }

  /** Credentials with every known value; pass -1 for what is not known. */
  public static PeerCredentials of(long pid, long uid, long gid) {
    return new PeerCredentials(pid, uid, gid);
  }

  public OptionalLong pid() {
    return pid == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(pid);
  }

  public OptionalLong uid() {
    return uid == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(uid);
  }

  public OptionalLong gid() {
    return gid == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(gid);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PeerCredentials)) {
      return false;
    }
    PeerCredentials other = (PeerCredentials) o;
    return pid == other.pid && uid == other.uid && gid == other.gid;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pid, uid, gid);
  }

  @Override
  public String toString() {
    return "PeerCredentials{pid=" + (pid == UNKNOWN ? "?" : pid) + ", uid="
        + (uid == UNKNOWN ? "?" : uid) + ", gid=" + (gid == UNKNOWN ? "?" : gid) + "}";
  }
}
