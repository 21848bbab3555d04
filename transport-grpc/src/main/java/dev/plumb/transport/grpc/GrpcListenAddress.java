package dev.plumb.transport.grpc;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Objects;

/**
 * A standard gRPC (HTTP/2) listen address, written as a URI so that it sits beside Plumb's:
 *
 * <pre>
 *   grpc://127.0.0.1:7001        TCP; binds exactly that host (0.0.0.0 for every interface);
 *                                port 0 picks a free one
 *   grpc://[::1]:7001            the same over IPv6
 *   grpc+unix:///run/app.h2.sock a Unix domain socket (absolute path)
 *   grpc+unix:app.h2.sock        relative to the working directory, made absolute here
 * </pre>
 *
 * <p>Clients reach them as gRPC names them: {@code 127.0.0.1:7001} or {@code dns:///host:7001},
 * and {@code unix:///run/app.h2.sock}. Also what {@link PlumbGrpcServer#getListenSockets()}
 * lists for these listeners, with the port actually bound; {@link #toString()} is the URI.
 */
public final class GrpcListenAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  /** HTTP/2 over TCP. */
  public static final String TCP_SCHEME = "grpc";
  /** HTTP/2 over a Unix domain socket. */
  public static final String UNIX_SCHEME = "grpc+unix";

  private static final String FORMS = "expected grpc://host:port or grpc+unix:///path.sock";

  private final URI uri;
  private final SocketAddress socketAddress;

  private GrpcListenAddress(URI uri, SocketAddress socketAddress) {
    this.uri = uri;
    this.socketAddress = socketAddress;
  }

  /** Whether {@code address} is one of these (by its scheme), not a Plumb address. */
  public static boolean isGrpcAddress(String address) {
    int colon = address.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String scheme = address.substring(0, colon).toLowerCase(Locale.ROOT);
    return scheme.equals(TCP_SCHEME) || scheme.equals(UNIX_SCHEME);
  }

  /**
   * Parses {@code grpc://host:port} or {@code grpc+unix:path}.
   *
   * @throws IllegalArgumentException naming what is wrong and the accepted forms
   */
  public static GrpcListenAddress parse(String address) {
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + address + "' is not a URI (" + e.getReason()
          + "); " + FORMS, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + address + "' has a query or fragment, which a"
          + " gRPC listen address takes none of; " + FORMS);
    }
    if (scheme.equals(TCP_SCHEME)) {
      return tcp(address, uri);
    }
    if (scheme.equals(UNIX_SCHEME)) {
      return unix(address, uri);
    }
    throw new IllegalArgumentException("'" + address + "' is not a gRPC listen address; "
        + FORMS);
  }

  private static GrpcListenAddress tcp(String address, URI uri) {
    String host = uri.getHost();
    if (host == null || uri.getPort() < 0 || !(uri.getRawPath() == null
        || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
      throw new IllegalArgumentException("'" + address + "' needs a host and a port and nothing"
          + " else, e.g. grpc://127.0.0.1:7001 (port 0 picks a free one)");
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return new GrpcListenAddress(canonicalTcp(host, uri.getPort()),
        new InetSocketAddress(bare, uri.getPort()));
  }

  private static GrpcListenAddress unix(String address, URI uri) {
    if (uri.getRawAuthority() != null) {
      throw new IllegalArgumentException("'" + address + "' names a host; for an absolute path"
          + " write three slashes (grpc+unix:///path.sock), for a relative one none"
          + " (grpc+unix:path.sock)");
    }
    String part = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
    if (part == null || part.isEmpty() || part.endsWith("/")) {
      throw new IllegalArgumentException("'" + address + "' names no socket file; " + FORMS);
    }
    Path path = Paths.get(part).toAbsolutePath().normalize();
    return new GrpcListenAddress(URI.create(UNIX_SCHEME + "://" + path.toUri().getRawPath()),
        new DomainSocketAddress(path.toString()));
  }

  private static URI canonicalTcp(String host, int port) {
    return URI.create(TCP_SCHEME + "://" + host + ":" + port);
  }

  /** This address as the socket it was bound to: a {@code grpc://} port 0 as the real port. */
  GrpcListenAddress bound(SocketAddress actual) {
    if (actual instanceof InetSocketAddress && socketAddress instanceof InetSocketAddress) {
      return new GrpcListenAddress(canonicalTcp(uri.getHost(),
          ((InetSocketAddress) actual).getPort()), actual);
    }
    return this;
  }

  /** Whether it is a Unix domain socket ({@code grpc+unix:}). */
  boolean isUnix() {
    return socketAddress instanceof DomainSocketAddress;
  }

  /** The URI, e.g. {@code grpc://127.0.0.1:7001}. */
  public URI uri() {
    return uri;
  }

  /** An {@link InetSocketAddress}, or Netty's {@link DomainSocketAddress} for a Unix socket. */
  public SocketAddress socketAddress() {
    return socketAddress;
  }

  /**
   * The target a gRPC client gives its channel to reach this address: {@code host:port}, or
   * {@code unix:///path} (gRPC's own name for HTTP/2 over a Unix socket).
   */
  public String grpcTarget() {
    if (socketAddress instanceof DomainSocketAddress) {
      return "unix://" + uri.getRawPath();
    }
    return uri.getRawAuthority();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrpcListenAddress && ((GrpcListenAddress) o).uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri);
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
