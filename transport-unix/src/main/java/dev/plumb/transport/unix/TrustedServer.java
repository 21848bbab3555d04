package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;

/**
 * Whom a client trusts as the server it connects to, checked against the server's credentials
 * (SO_PEERCRED: the uid of the process that listens) right after connecting, before a byte of
 * the protocol is sent:
 * <ul>
 *   <li>{@code serverUids=...} given: the client's own uid, root, and those uids;
 *   <li>a {@code unix-abstract:} name without it: the client's own uid and root. Any local user
 *       can bind an abstract name first, and nothing else tells the real server from an
 *       impostor;
 *   <li>a socket file without it: anyone. The file's directory decides who can put a socket
 *       there, and its owner keeps others out of it.
 * </ul>
 * The client's own uid and root are always trusted: either could attach to the client itself.
 */
final class TrustedServer {
  /** Null if any server is trusted. */
  private final AccessPolicy policy;

  private TrustedServer(AccessPolicy policy) {
    this.policy = policy;
  }

  static TrustedServer of(UnixEndpoint endpoint) {
    boolean checked = !endpoint.options().serverUids.isEmpty() || !endpoint.isFile();
    return new TrustedServer(checked
        ? AccessPolicy.trustedServers(endpoint.options().serverUids) : null);
  }

  /**
   * Why a server whose credentials are {@code server} is not trusted; null if it is. Names the
   * server's uid and the uids expected, briefly: the reason travels in a GO_AWAY, whose message
   * is cut at 200 characters.
   */
  String distrustReason(PeerCredentials server) {
    if (policy == null || policy.admits(server)) {
      return null;
    }
    String actual = server.uid().isEmpty() ? "of unknown uid"
        : "runs as " + AccessPolicy.describeIds(server);
    return "this client distrusts the server: it " + actual + ", expected "
        + policy.admittedIds() + " (serverUids=... adds uids)";
  }
}
