package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.kit.Refusal;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening Unix socket: one daemon thread accepts, reads each peer's credentials, and either
 * hands the peer on (to the core as a connection, or as a socket to the transport behind a
 * {@link UnixRendezvous}) or refuses it.
 *
 * <p>The socket file's life: the parent directory must exist; a file already at the path is
 * probed by connecting to it: if a server answers, listening fails with "address in use" (a live
 * socket is never taken over); if nobody does (a server died and left it), it is deleted and
 * replaced; anything that is not a socket is left alone and listening fails. The file appears
 * at its path with its mode already set (0600 by default) and no symbolic link is followed
 * ({@link SocketFileBinder}). On close the file is removed if it is still the one this listener
 * created (same inode). An inherited socket ({@link #adopt}) is none of this listener's: its
 * file stays, and it is closed without a shutdown ({@link InheritedUnixSocket}).
 */
final class UnixListener implements Listener {
  private static final Logger log = LoggerFactory.getLogger(UnixListener.class);
  /** Warnings of one kind a peer can cause per connection, written per listener a minute. */
  static final int PEER_WARNINGS_PER_MINUTE = 10;
  private static final int BACKLOG = 128;
  /** How long to probe an existing socket file for a live server. */
  private static final int PROBE_TIMEOUT_MILLIS = 2_000;
  /**
   * A refused peer gets this long to read the refusal and hang up before its socket is closed.
   * Generous, because closing early loses the reason: the peer's first write then fails with
   * EPIPE, on which junixsocket closes the peer's socket, unread refusal and all (a fresh client
   * JVM on a loaded machine can take seconds to send its HELLO). A peer that hangs up ends it.
   */
  private static final int REFUSAL_LINGER_MILLIS = 10_000;
  /** Refusals lingering at once; beyond this, a refused peer's socket closes at once. */
  private static final Semaphore LINGERING = new Semaphore(16);
  /** S_IFMT and S_IFSOCK of st_mode. */
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_SOCKET = 0140000;

  private final UnixEndpoint endpoint;
  private final AFUNIXServerSocket server;
  private final UnixRendezvous.Acceptor onAccept;
  private final AccessPolicy policy;
  private final PlumbAddress bound;
  private final UnixSocketAddress local;
  /**
   * The warnings a peer can cause, one per connection (refused, dropped, failed accepts), rate
   * limited so that a peer connecting in a loop cannot flood the log.
   */
  private final RateLimitedWarnings peerWarnings =
      new RateLimitedWarnings(log, PEER_WARNINGS_PER_MINUTE, Duration.ofMinutes(1));
  /** The inode of the socket file this listener created; null for abstract addresses. */
  private final Object fileKey;
  /** Whether the socket was inherited ({@link #adopt}), and so is closed without a shutdown. */
  private final boolean inherited;
  private Thread acceptThread;
  private volatile boolean closed;

  private UnixListener(UnixEndpoint endpoint, AFUNIXServerSocket server,
      UnixRendezvous.Acceptor onAccept, AccessPolicy policy, Object fileKey, boolean inherited) {
    this.inherited = inherited;
    this.endpoint = endpoint;
    this.server = server;
    this.onAccept = onAccept;
    this.policy = policy;
    this.fileKey = fileKey;
    this.bound = endpoint.address();
    this.local = UnixSocketAddress.named(bound.toString());
  }

  /** Listens for {@code unix:} connections: each admitted peer becomes a started-later connection. */
  static UnixListener open(UnixEndpoint endpoint, Consumer<Connection> onAccept)
      throws IOException {
    return open(endpoint, connections(endpoint, onAccept));
  }

  /**
   * Accepts {@code unix:} connections on the inherited listening socket {@code fd}
   * ({@link InheritedUnixSocket}), which {@code endpoint} names: nothing is bound, and the
   * socket file, whoever made it, stays when the listener closes.
   *
   * @throws IOException if the descriptor is no longer a Unix domain socket
   */
  static UnixListener adopt(UnixEndpoint endpoint, int fd, Consumer<Connection> onAccept)
      throws IOException {
    AFUNIXServerSocket server = InheritedUnixSocket.of(fd).orElseThrow(() -> new IOException(
        "cannot listen on " + endpoint.address() + ": descriptor " + fd + " is no longer a Unix"
            + " domain socket"));
    server.setSoTimeout(InheritedUnixSocket.ACCEPT_POLL_MILLIS);
    return start(endpoint, server, connections(endpoint, onAccept),
        AccessPolicy.of(endpoint.options()), null, true);
  }

  private static UnixRendezvous.Acceptor connections(UnixEndpoint endpoint,
      Consumer<Connection> onAccept) {
    return (socket, peer, local, remote) -> onAccept.accept(UnixTransport.wrap(socket,
        "unix:" + endpoint.describe() + " from pid " + remote.pidText(), local, remote, peer,
        endpoint.idleMode()));
  }

  /**
   * Listens at {@code endpoint} (a socket file or abstract name) with its access options, and
   * hands each admitted peer's socket to {@code onAccept}; refused peers never reach it.
   *
   * @throws IOException if the address cannot be bound; the message names it
   */
  static UnixListener open(UnixEndpoint endpoint, UnixRendezvous.Acceptor onAccept)
      throws IOException {
    String where = "cannot listen on " + endpoint.address() + ": ";
    AccessPolicy policy = AccessPolicy.of(endpoint.options());
    if (endpoint.isFile()) {
      prepareSocketFile(endpoint, where);
    }
    AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
    Object fileKey = null;
    try {
      // Without reuse, junixsocket's bind fails if a server answers at the path; with reuse it
      // would take the path over from a live server.
      server.setReuseAddress(false);
      server.setDeleteOnClose(false);
      if (endpoint.isFile()) {
        fileKey = SocketFileBinder.bind(server, endpoint.path(), endpoint.options().mode,
            BACKLOG);
      } else {
        server.bind(endpoint.socketAddress(), BACKLOG);
      }
    } catch (AddressAlreadyInUseSocketException e) {
      server.close();
      throw new IOException(where + "address in use: another server accepts on "
          + endpoint.describe(), e);
    } catch (IOException | RuntimeException e) {
      server.close();
      deleteIfOurs(endpoint, fileKey);
      throw new IOException(where + e.getMessage(), e);
    }
    return start(endpoint, server, onAccept, policy, fileKey, false);
  }

  /** Starts the accepting thread of a bound, listening {@code server}. */
  private static UnixListener start(UnixEndpoint endpoint, AFUNIXServerSocket server,
      UnixRendezvous.Acceptor onAccept, AccessPolicy policy, Object fileKey,
      boolean inherited) {
    UnixListener listener = new UnixListener(endpoint, server, onAccept, policy, fileKey,
        inherited);
    // Set before the thread starts; read by close() on another thread after that start.
    listener.acceptThread = DaemonThreads.newThread("plumb-"
        + endpoint.address().uri().getScheme() + "-accept " + endpoint.describe(),
        listener::acceptLoop);
    listener.acceptThread.start();
    log.debug("listening on {} ({}{})", listener.bound, policy.describe(),
        endpoint.isFile() ? String.format(", mode %04o", endpoint.options().mode) : "");
    return listener;
  }

  /**
   * Checks the path before binding: the directory exists; a socket file nobody accepts on is
   * deleted, at the path and at its private name ({@link SocketFileBinder}); a live one or a
   * non-socket is an error.
   */
  private static void prepareSocketFile(UnixEndpoint endpoint, String where) throws IOException {
    Path path = endpoint.path();
    Path parent = path.getParent();
    if (!Files.isDirectory(parent)) {
      throw new IOException(where + "the directory " + parent
          + (Files.exists(parent) ? " is not a directory" : " does not exist")
          + "; create it first (Plumb does not create directories, so that their owner and mode"
          + " stay yours)");
    }
    if (isLive(path, where)) {
      throw new IOException(where + "address in use: another server accepts on " + path);
    }
    if (Files.deleteIfExists(path)) {
      log.info("{}: replaced a stale socket file (nobody accepted on it)", path);
    }
    for (Path leftover : SocketFileBinder.privateNames(path)) {
      // A live one is a server's whose file someone deleted: still its own.
      if (!isLive(leftover, where)) {
        log.info("{}: removing a stale private name (nobody accepts on it)", leftover);
        SocketFileBinder.removePrivateName(leftover);
      }
    }
  }

  /**
   * Whether a server accepts on the socket file at {@code file}: false if nothing is there or
   * nobody accepts on it (a server that died left it).
   *
   * @throws IOException if something other than a socket is there, or it cannot be told
   */
  private static boolean isLive(Path file, String where) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    if ((mode & TYPE_MASK) != TYPE_SOCKET) {
      throw new IOException(where + file + " exists and is not a socket; not replacing it");
    }
    try {
      return someoneAccepts(file);
    } catch (IOException e) {
      throw new IOException(where + "cannot tell whether a server accepts on " + file + ": "
          + e.getMessage(), e);
    }
  }

  private void acceptLoop() {
    try {
      accepting();
    } finally {
      if (inherited) {
        InheritedUnixSocket.closeLeavingItListening(server);
      }
    }
  }

  private void accepting() {
    while (!closed) {
      AFUNIXSocket socket;
      try {
        socket = server.accept();
      } catch (SocketTimeoutException e) {
        // An inherited socket's accept returns now and then to look at `closed`.
        continue;
      } catch (IOException e) {
        if (closed || server.isClosed()) {
          return;
        }
        if (String.valueOf(e.getMessage()).contains("connection abort")) {
          // The peer gave up before it was accepted: its loss alone.
          log.debug("{}: accept: {}", bound, e.getMessage());
          continue;
        }
        peerWarnings.warn("accept failed", "{}: accept failed: {}", bound, e.getMessage());
        backOff();
        continue;
      }
      try {
        accepted(socket);
      } catch (IOException | RuntimeException e) {
        peerWarnings.warn("dropped", "{}: dropping a connection: {}", bound, e.getMessage());
        UnixTransport.closeQuietly(socket);
      }
    }
  }

  /** After a failed accept (out of file descriptors, say): do not spin. */
  private static void backOff() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accepted(AFUNIXSocket socket) throws IOException {
    PeerCredentials peer = UnixRendezvous.peerCredentials(socket);
    String refusal = policy.refusalReason(peer);
    long pid = peer.pid().orElse(-1);
    if (refusal != null) {
      peerWarnings.warn("refused", "{}: refused a connection from pid {}: {} ({})", bound,
          pid < 0 ? "?" : Long.toString(pid), refusal, policy.describe());
      refuse(socket, Status.PERMISSION_DENIED.withDescription(refusal + " to " + bound));
      return;
    }
    if (closed) {
      UnixTransport.closeQuietly(socket);
      return;
    }
    onAccept.accepted(socket, peer, local, UnixSocketAddress.unnamed(pid));
  }

  /**
   * Tells the peer why, then closes. The peer reads the refusal before it can see the close
   * (its own first writes could otherwise fail first and hide the reason), so this end stops
   * writing and waits, briefly, for the peer to hang up.
   */
  private void refuse(AFUNIXSocket socket, Status reason) {
    byte[] bytes = Refusal.streamBytes(reason);
    if (!LINGERING.tryAcquire()) {
      try (socket; OutputStream out = socket.getOutputStream()) {
        out.write(bytes);
      } catch (IOException e) {
        log.debug("{}: refusal not delivered: {}", bound, e.getMessage());
      }
      return;
    }
    DaemonThreads.newThread("plumb-unix-refusal", () -> {
      try (socket) {
        socket.setSoTimeout(REFUSAL_LINGER_MILLIS);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        UnixTransport.halfClose(socket);
        InputStream in = socket.getInputStream();
        byte[] discard = new byte[4096];
        long total = 0;
        int n;
        while (total < 64 * 1024 && (n = in.read(discard)) >= 0) {
          total += n;
        }
      } catch (IOException e) {
        log.debug("{}: refused peer: {}", bound, e.getMessage());
      } finally {
        LINGERING.release();
      }
    }).start();
  }

  @Override
  public PlumbAddress boundAddress() {
    return bound;
  }

  @Override
  public SocketAddress localSocketAddress() {
    return local;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (inherited) {
      awaitAcceptThread();
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      log.debug("{}: closing: {}", bound, e.getMessage());
    }
    deleteIfOurs(endpoint, fileKey);
  }

  /** Until the accepting thread has seen {@link #closed} and closed the inherited socket. */
  private void awaitAcceptThread() {
    if (Thread.currentThread() == acceptThread) {
      return;
    }
    try {
      acceptThread.join(4L * InheritedUnixSocket.ACCEPT_POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (acceptThread.isAlive()) {
      log.warn("{}: the accepting thread has not ended; the socket closes when it does", bound);
    }
  }

  /**
   * Removes the socket file if it is still the one this listener bound, after its socket was
   * closed. A file with another inode belongs to someone else. The same inode is not proof
   * enough, as a file deleted and created anew may get the freed inode back; so the file goes
   * only if nobody accepts on it now, which is true of this listener's own, closed, socket.
   * Its private name goes too.
   */
  private static void deleteIfOurs(UnixEndpoint endpoint, Object fileKey) {
    if (!endpoint.isFile() || fileKey == null) {
      return;
    }
    Path path = endpoint.path();
    try {
      Object now = Files.readAttributes(path, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
      if (fileKey.equals(now) && !someoneAccepts(path)) {
        Files.deleteIfExists(path);
      } else {
        log.info("{}: not removing the socket file: another server replaced it", path);
      }
    } catch (NoSuchFileException e) {
      // Someone removed it already.
    } catch (IOException e) {
      log.warn("{}: could not remove the socket file: {}", path, e.getMessage());
    }
    try {
      SocketFileBinder.removePrivateName(path, fileKey);
    } catch (IOException e) {
      log.warn("{}: could not remove its private name: {}", path, e.getMessage());
    }
  }

  /** Whether a server accepts connections on the socket file at {@code path}. */
  private static boolean someoneAccepts(Path path) throws IOException {
    try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
      probe.connect(AFUNIXSocketAddress.of(path), PROBE_TIMEOUT_MILLIS);
      return true;
    } catch (ConnectionRefusedSocketException e) {
      return false;
    }
  }
}
