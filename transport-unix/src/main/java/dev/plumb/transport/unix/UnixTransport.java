package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.idle.IdleBudget;
import dev.plumb.rpc.kit.BlockingConnector;
import dev.plumb.rpc.kit.BlockingStreamConnection;
import dev.plumb.rpc.kit.HalfClosingOutputStream;
import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.kit.PollingInputStream;
import dev.plumb.rpc.kit.RefusedConnection;
import dev.plumb.rpc.kit.UriOptions;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;

/**
 * {@code unix:} and {@code unix-abstract:}: the Plumb protocol over Unix domain sockets, with
 * junixsocket. Each connection is a pair of blocking streams under the core's
 * {@link BlockingStreamConnection} (a reader and a writer thread); docs/TRANSPORTS.md has the
 * measurement behind that choice.
 *
 * <p>Servers create the socket file with mode 0600 (or {@code ?mode=}), replace a stale file that
 * nobody accepts on, refuse to take over a live one, and remove their file when they close.
 * Every accepted peer's pid, uid and gid are read from the kernel; by default only the server's
 * own uid and root are served, others get a GO_AWAY PERMISSION_DENIED in place of the handshake
 * (see {@link dev.plumb.rpc.kit.Refusal}). Clients check the server's uid in turn
 * ({@link TrustedServer}: {@code serverUids}, and by default for abstract names). Both ends see
 * the other's credentials under {@link PlumbAttributes#PEER_CREDENTIALS}.
 */
public final class UnixTransport implements PlumbTransport {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /**
   * The query key of an adopted socket's address ({@link #adopt}), which {@link #listen} reads
   * and {@link #parse} refuses: {@code fd:N} is how an application names a descriptor.
   */
  private static final String INHERITED_FD = "fd";
  private static final BlockingConnector CONNECTS = new BlockingConnector("unix");

  @Override
  public Set<String> schemes() {
    return Set.of(UnixEndpoint.FILE_SCHEME, UnixEndpoint.ABSTRACT_SCHEME);
  }

  @Override
  public PlumbAddress parse(URI uri) {
    return UnixEndpoint.parse(uri).canonicalWithIdleMode();
  }

  /**
   * Connects to the server; a server this client does not trust ({@link TrustedServer}) yields
   * a connection that fails the attempt with PERMISSION_DENIED, nothing sent to that server.
   */
  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    UnixEndpoint endpoint = UnixEndpoint.parse(address.uri());
    String name = "unix:" + endpoint.describe();
    return CONNECTS.connect(name, () -> {
      UnixSocketAddress local = UnixSocketAddress.unnamed(ProcessHandle.current().pid());
      UnixSocketAddress remote = UnixSocketAddress.named(endpoint.address().toString());
      AFUNIXSocket socket;
      try {
        socket = connectSocket(endpoint);
      } catch (UnixRendezvous.UntrustedServerException e) {
        return new RefusedConnection(name, e.refusal(), attributes(local, remote, e.server()));
      }
      try {
        return wrap(socket, name, local, remote, UnixRendezvous.peerCredentials(socket),
            endpoint.idleMode());
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket);
        throw e;
      }
    });
  }

  /**
   * Connects a blocking socket to {@code endpoint}, within 10 s, and checks that the server is
   * one the address trusts ({@link TrustedServer}) before anything is sent.
   *
   * @throws UnixRendezvous.UntrustedServerException if it is not; the socket is closed
   * @throws IOException saying what could not be reached and why, in words that point at the
   *     fix ({@link #connectFailure})
   */
  static AFUNIXSocket connectSocket(UnixEndpoint endpoint) throws IOException {
    AFUNIXSocket socket = AFUNIXSocket.newInstance();
    try {
      socket.connect(endpoint.socketAddress(), CONNECT_TIMEOUT_MILLIS);
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw connectFailure(endpoint, e);
    }
    try {
      PeerCredentials server = UnixRendezvous.peerCredentials(socket);
      String distrust = TrustedServer.of(endpoint).distrustReason(server);
      if (distrust != null) {
        throw new UnixRendezvous.UntrustedServerException(distrust, server);
      }
      return socket;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * Says why a connect failed, with the path, in words that point at the fix. The error text of
   * the platform may be localized, so the file's state decides where it can.
   */
  static IOException connectFailure(UnixEndpoint endpoint, Exception e) {
    String what = "connect to " + endpoint.describe() + " failed: ";
    String why;
    String message = String.valueOf(e.getMessage());
    if (e instanceof SocketTimeoutException) {
      why = "no answer within " + CONNECT_TIMEOUT_MILLIS / 1000 + " s (the server accepts no"
          + " connections)";
    } else if (endpoint.isFile()) {
      Path path = endpoint.path();
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        why = Files.isDirectory(path.getParent()) ? "no such socket file (is the server running?)"
            : "no such file: the directory " + path.getParent() + " does not exist, or this"
                + " process may not look into it";
      } else if (e instanceof ConnectionRefusedSocketException) {
        why = "connection refused: nothing accepts on it (a server that died left it"
            + " behind, or it is not a socket)";
      } else if (message.contains("ermission denied") || message.contains("EACCES")
          || !Files.isWritable(path)) {
        why = "permission denied: the socket file's mode does not let this user ("
            + "uid " + AccessPolicy.self().uid().orElse(-1) + ") connect; " + message;
      } else {
        why = message;
      }
    } else if (e instanceof ConnectionRefusedSocketException) {
      why = "connection refused: no server listens on that name";
    } else {
      why = message;
    }
    return new IOException(what + why, e);
  }

  /**
   * Takes an inherited descriptor if it is a Unix domain stream socket
   * ({@link InheritedUnixSocket}): its address is the socket's own,
   * {@code unix:///path.sock?fd=N} or {@code unix-abstract:name?fd=N}. The options are a
   * server's access options, {@code allowUids} and {@code allowGids}, and {@code idle}; not
   * {@code mode}, as the socket file exists already (systemd's {@code SocketMode=} sets it).
   */
  @Override
  public Optional<PlumbAddress> adopt(int fd, String options) {
    Optional<AFUNIXServerSocket> inherited = InheritedUnixSocket.of(fd);
    if (inherited.isEmpty()) {
      return Optional.empty();
    }
    AFUNIXSocketAddress local = inherited.get().getLocalSocketAddress();
    String described = "fd:" + fd + (options == null ? "" : "?" + options);
    UriOptions.parse(options, true, described,
        List.of(UnixOptions.ALLOW_UIDS, UnixOptions.ALLOW_GIDS, IdleMode.KEY));
    URI address;
    try {
      if (local != null && local.hasFilename()) {
        address = new URI(UnixEndpoint.FILE_SCHEME, "", local.getPath(), null, null);
      } else if (local != null && local.isInAbstractNamespace()) {
        byte[] name = local.getPathAsBytes();  // a zero byte, then the name
        address = new URI(UnixEndpoint.ABSTRACT_SCHEME,
            new String(name, 1, name.length - 1, StandardCharsets.UTF_8), null);
      } else {
        throw new IllegalArgumentException("descriptor " + fd + " is an unnamed Unix socket,"
            + " which clients could not find");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("descriptor " + fd + ": cannot form an address for "
          + local + ": " + e.getMessage(), e);
    }
    UnixEndpoint endpoint = UnixEndpoint.parse(URI.create(address
        + (options == null ? "" : "?" + options)));
    String idle = endpoint.idleOption();
    return Optional.of(endpoint.canonical(INHERITED_FD + "=" + fd
        + (idle == null ? "" : "&" + idle)));
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    UnixEndpoint endpoint = UnixEndpoint.parse(address.uri(), List.of(INHERITED_FD));
    String inherited = endpoint.extraOption(INHERITED_FD);
    return inherited == null ? UnixListener.open(endpoint, onAccept)
        : UnixListener.adopt(endpoint, Integer.parseInt(inherited), onAccept);
  }

  /**
   * A connected socket as a Plumb connection: blocking streams, a reader and a writer thread,
   * the socket's send room, which lets the reader write what the socket takes at once, and its
   * descriptor passing, for attachments ({@link UnixDescriptors}). In
   * the latency mode the reader polls the socket before it blocks ({@link PollingInputStream}).
   */
  static Connection wrap(AFUNIXSocket socket, String name, UnixSocketAddress local,
      UnixSocketAddress remote, PeerCredentials peer, IdleMode idle) throws IOException {
    InputStream in = idle == IdleMode.POLL
        ? new PollingInputStream(socket.getInputStream(), IdleBudget.MACHINE)
        : socket.getInputStream();
    return new BlockingStreamConnection(name, in,
        halfClosingOutput(socket), socket, UnixSendRoom.of(socket), UnixDescriptors.of(socket),
        attributes(local, remote, peer), UnaryOperator.identity());
  }

  private static Attributes attributes(UnixSocketAddress local, UnixSocketAddress remote,
      PeerCredentials peer) {
    return Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, local)
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote)
        .set(PlumbAttributes.PEER_CREDENTIALS, peer)
        .build();
  }

  /** The socket's output, whose close half-closes the socket (see {@link #halfClose}). */
  static HalfClosingOutputStream halfClosingOutput(AFUNIXSocket socket) throws IOException {
    return new HalfClosingOutputStream(socket.getOutputStream(), () -> halfClose(socket));
  }

  /**
   * Ends this side's output. Through the socket's channel: on JDK 25,
   * {@code java.net.Socket.shutdownOutput} refuses junixsocket's sockets ("Socket is not
   * connected": it checks state that junixsocket does not set).
   */
  static void halfClose(AFUNIXSocket socket) throws IOException {
    socket.getChannel().shutdownOutput();
  }

  static void closeQuietly(AFUNIXSocket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing left to free.
      }
    }
  }
}
