package dev.plumb.rpc.internal;

import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts a server's open connections, in all and per peer, and admits a new one only within
 * the {@link ConnectionLimits}. Every admitted connection holds its place until
 * {@link #release}, which its owner calls exactly once, when the connection has closed.
 *
 * <p>Thread-safe: listeners admit on their accepting threads while connections close on
 * theirs. The counts change under this object's monitor; nothing else runs under it.
 */
final class ConnectionAdmission {
  private final ConnectionLimits limits;
  private int open;
  /** Open connections of each peer that has any; a peer leaves the map at zero. */
  private final Map<String, Integer> openPerPeer = new HashMap<>();

  ConnectionAdmission(ConnectionLimits limits) {
    this.limits = limits;
  }

  /**
   * Takes a place for a connection from {@code peer} (null if unknown: only the total
   * applies) and returns null; or, if a limit is reached, takes nothing and returns why, as
   * the RESOURCE_EXHAUSTED to refuse the connection with.
   */
  synchronized Status admit(String peer) {
    if (open >= limits.maxConnections) {
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "the server is at its connection limit (maxConnections=" + limits.maxConnections + ")");
    }
    if (peer != null) {
      int ofPeer = openPerPeer.getOrDefault(peer, 0);
      if (ofPeer >= limits.maxPerPeer) {
        return Status.RESOURCE_EXHAUSTED.withDescription(peer + " is at its connection limit on"
            + " this server (maxConnectionsPerPeer=" + limits.maxPerPeer + ")");
      }
      openPerPeer.put(peer, ofPeer + 1);
    }
    open++;
    return null;
  }

  /** Gives back the place of a connection from {@code peer} that {@link #admit} took. */
  synchronized void release(String peer) {
    if (open <= 0) {
      throw new IllegalStateException("released more connections than were admitted");
    }
    open--;
    if (peer != null) {
      openPerPeer.computeIfPresent(peer, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  /** Connections admitted and not yet released. */
  synchronized int open() {
    return open;
  }
}
