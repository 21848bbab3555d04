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
  /** Longer than this, {@link #shortForm} leaves out the middle. */
  private static final int SHORT_FORM_LENGTH = 160;
  private static final int SHORT_FORM_HEAD = 90;
  private static final int SHORT_FORM_TAIL = 50;

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

  /**
   * The address for log lines: whole if it is short, otherwise its start and its end around a
   * note of how much was left out. A {@code pipe:} target holds the child's whole command
   * line, whose class path alone can run to thousands of characters.
   */
  public String shortForm() {
    String whole = uri.toString();
    if (whole.length() <= SHORT_FORM_LENGTH) {
      return whole;
    }
    return whole.substring(0, SHORT_FORM_HEAD) + "[... "
        + (whole.length() - SHORT_FORM_HEAD - SHORT_FORM_TAIL) + " characters ...]"
        + whole.substring(whole.length() - SHORT_FORM_TAIL);
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
