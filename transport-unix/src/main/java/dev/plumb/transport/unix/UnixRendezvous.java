package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.kit.Refusal;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import java.io.IOException;
import java.net.URI;
import io.grpc.Status;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A Unix-socket rendezvous: a socket file on which another transport's server listens, guarded
 * exactly as {@code unix:} guards its own, and to which that transport's client connects; what
 * the two then say over the socket is the other transport's business ({@code shm:} sends a
 * shared-memory segment's descriptor over it, then doorbell bytes).
 *
 * <p><b>Who may use it:</b> transports built on {@code transport-unix} (today
 * {@code transport-shm}). It is the one way in: the rest of this package is {@code unix:}'s
 * own. Applications use {@code unix:} addresses instead.
 *
 * <p><b>What it guarantees</b>, the same as for {@code unix:} (docs/TRANSPORTS.md):
 * <ul>
 *   <li>{@link #parse}: the socket-file forms of {@code unix:} under the caller's scheme
 *       ({@code shm:///abs/path.sock}, {@code shm:relative.sock}, made absolute), the same
 *       checks and error messages (directory, 107-byte limit, no host or fragment), the access
 *       options {@code mode}, {@code allowUids} and {@code allowGids}, and the caller's own keys
 *       besides them, checked for repetition and spelling but left to the caller to interpret.
 *   <li>{@link #listen}: the socket file's life (a stale file replaced, a live one never taken
 *       over, the mode set, the file removed on close), each peer's credentials read from the
 *       kernel, and the access policy (the server's uid, root, the allow-lists): a refused peer
 *       gets the preface and a GO_AWAY PERMISSION_DENIED with the reason
 *       ({@link dev.plumb.rpc.kit.Refusal}) and never reaches the {@link Acceptor}.
 *   <li>{@link #connect}: a blocking connect within 10 s that fails with an {@link IOException}
 *       in {@code unix:}'s words (no such socket file, refused, permission denied), and the
 *       client's check of the server's uid ({@code serverUids}), which fails with an
 *       {@link UntrustedServerException} before anything was sent.
 *   <li>{@link #peerCredentials} and {@link #ownCredentials}: pid, uid and gid as the kernel
 *       reports them (SO_PEERCRED); unknown values are empty, never guessed.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class UnixRendezvous {
  /** Takes an admitted peer's socket, on the accepting thread; it must not block for long. */
  @FunctionalInterface
  public interface Acceptor {
    /**
     * @param local this end, named by the listening address
     * @param remote the peer's end, named by its pid
     * @throws IOException to drop the peer (logged; the socket is closed)
     */
    void accepted(AFUNIXSocket socket, PeerCredentials peer, UnixSocketAddress local,
        UnixSocketAddress remote) throws IOException;
  }

  /**
   * The server at the other end is not one this client trusts ({@code serverUids}; by default
   * for abstract names, the client's own uid and root): thrown by a connect after it closed the
   * socket, before anything was sent on it.
   */
  public static final class UntrustedServerException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient PeerCredentials server;

    UntrustedServerException(String reason, PeerCredentials server) {
      super(reason);
      this.server = server;
    }

    /** The server's credentials, as the kernel reported them. */
    public PeerCredentials server() {
      return server;
    }

    /**
     * The refusal to hand the core in place of the server's HELLO (in a
     * {@link dev.plumb.rpc.kit.RefusedConnection}), so that the connection attempt fails with
     * PERMISSION_DENIED and the reason.
     */
    public Frame refusal() {
      return Refusal.goAway(Status.PERMISSION_DENIED.withDescription(getMessage()));
    }
  }

  private final UnixEndpoint endpoint;

  private UnixRendezvous(UnixEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Parses a rendezvous address of the caller's {@code scheme}, e.g.
   * {@code shm:///run/app.sock?ringSize=1m&mode=0660}.
   *
   * @param ownKeys the caller's option keys, accepted besides the access options
   * @param forms the accepted forms, for error messages
   * @throws IllegalArgumentException naming what is wrong and the accepted forms or keys
   */
  public static UnixRendezvous parse(URI uri, String scheme, List<String> ownKeys,
      String forms) {
    return new UnixRendezvous(UnixEndpoint.parseFile(uri, scheme, ownKeys, forms));
  }

  /** The value of one of the caller's own keys as written, or null if it is not given. */
  public String option(String key) {
    return endpoint.extraOption(key);
  }

  /** The address without options: what clients connect to, and what servers report. */
  public PlumbAddress address() {
    return endpoint.address();
  }

  /**
   * The address with its access options in canonical form, followed by {@code ownQuery} (the
   * caller's options, already canonical; null for none).
   */
  public PlumbAddress canonical(String ownQuery) {
    return endpoint.canonical(ownQuery);
  }

  /** The socket file's absolute path, for messages. */
  public String describe() {
    return endpoint.describe();
  }

  /**
   * Listens on the socket file with its access options and hands each admitted peer's socket
   * to {@code onAccept}; refused peers never reach it.
   *
   * @throws IOException if the file cannot be bound; the message names it and why
   */
  public Listener listen(Acceptor onAccept) throws IOException {
    return UnixListener.open(endpoint, onAccept);
  }

  /**
   * Connects a blocking socket to the socket file, within 10 s, and checks the server's uid.
   *
   * @throws UntrustedServerException if the server's uid is not one the address trusts
   * @throws IOException saying what could not be reached and why, in words that point at the fix
   */
  public AFUNIXSocket connect() throws IOException {
    return UnixTransport.connectSocket(endpoint);
  }

  /** The pid, uid and gid of the process at the other end of {@code socket}, from the kernel. */
  public static PeerCredentials peerCredentials(AFUNIXSocket socket) throws IOException {
    return AccessPolicy.credentials(socket.getPeerCredentials());
  }

  /** This process's own credentials, as the kernel reports them to a peer. */
  public static PeerCredentials ownCredentials() {
    return AccessPolicy.self();
  }
}
