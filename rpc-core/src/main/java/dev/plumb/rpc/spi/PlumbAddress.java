package dev.plumb.rpc.spi;

import java.net.SocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * The address of a Plumb endpoint: a URI whose scheme names the transport
 * ({@code tcp://127.0.0.1:7000}, {@code unix:///run/app.sock}, ...). This is the
 * {@link SocketAddress} that Plumb's name resolver hands to gRPC, so gRPC's load balancing
 * and reconnection work on it unchanged.
 */
public final class PlumbAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  private final URI uri;

  public PlumbAddress(URI uri) {
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  public URI uri() {
    return uri;
  }

  public String scheme() {
    return uri.getScheme();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlumbAddress && ((PlumbAddress) o).uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
