package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Plumb transport that carries plain IP addresses ({@link InetSocketAddress}es), as gRPC's
 * own name resolvers give them ({@code dns:///name:port}, and any other that finds servers by
 * IP address): a scheme, optionally with the options every such address gets, written
 * {@code tcp} or {@code tcp?idle=poll}. Also where an IP address becomes an address of a
 * transport, for the lookups of {@link PlumbNameResolverProvider} too. Immutable.
 */
public final class IpTransport {
  private static final Pattern FORM = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)(?:\\?(.*))?");
  private static final String EXPECTED = "expected a scheme, optionally with its options, e.g."
      + " tcp or tcp?idle=poll";

  private final TransportRegistry registry;
  private final String scheme;
  /** The options each address gets, as a URI's raw query; null for none. */
  private final String options;
  private final String form;

  private IpTransport(TransportRegistry registry, String scheme, String options, String form) {
    this.registry = registry;
    this.scheme = scheme;
    this.options = options;
    this.form = form;
  }

  /**
   * The transport {@code form} names ({@code tcp}, {@code tcp?idle=poll}).
   *
   * @throws IllegalArgumentException if the form is malformed, no transport on the class path
   *     serves the scheme, its addresses are not {@code HOST:PORT}, or it does not take these
   *     options (its own message says why)
   */
  public static IpTransport of(TransportRegistry registry, String form) {
    Matcher matcher = FORM.matcher(form.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + form + "' names no transport for IP addresses; "
          + EXPECTED);
    }
    String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
    if (!registry.schemes().contains(scheme)) {
      throw new IllegalArgumentException("no Plumb transport for the scheme '" + scheme
          + "' to carry IP addresses; the class path has transports for "
          + String.join(", ", registry.schemes()) + " (tcp is the one for IP addresses)");
    }
    if (!registry.transportForScheme(scheme).hostPortAddresses()) {
      throw new IllegalArgumentException("the " + scheme + ": transport cannot carry IP"
          + " addresses: its addresses are not HOST:PORT (tcp is the one for IP addresses)");
    }
    IpTransport transport = new IpTransport(registry, scheme, matcher.group(2), form.trim());
    // The options are checked by the transport, as on an address of its own.
    transport.addressOf(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
    return transport;
  }

  /**
   * The transport for IP addresses when none is named: the one transport on the class path
   * whose addresses are {@code HOST:PORT} ({@code tcp}); empty if there is none, or several.
   */
  public static Optional<IpTransport> byDefault(TransportRegistry registry) {
    List<String> candidates = new ArrayList<>();
    for (String scheme : registry.schemes()) {
      if (registry.transportForScheme(scheme).hostPortAddresses()) {
        candidates.add(scheme);
      }
    }
    return candidates.size() == 1 ? Optional.of(of(registry, candidates.get(0)))
        : Optional.empty();
  }

  public String scheme() {
    return scheme;
  }

  public PlumbTransport transport() {
    return registry.transportForScheme(scheme);
  }

  /** {@code address} as this transport's address, with its options. */
  public PlumbAddress addressOf(InetSocketAddress address) {
    String host = address.isUnresolved() ? address.getHostString() : literal(address.getAddress());
    return address(registry, scheme, host, address.getPort(), options);
  }

  /**
   * The address of {@code scheme}'s transport for {@code host} and {@code port}, with the
   * options {@code rawQuery} (null for none).
   *
   * @throws IllegalArgumentException if the transport rejects it
   */
  static PlumbAddress address(TransportRegistry registry, String scheme, String host, int port,
      String rawQuery) {
    return registry.parse(scheme + "://" + host + ":" + port
        + (rawQuery == null ? "" : "?" + rawQuery));
  }

  /**
   * The IP address as a URI's host: IPv6 in brackets, without a scope (a URI's host cannot
   * carry one as Java writes it; a scoped, link-local address is no server's address anyway).
   */
  static String literal(InetAddress ip) {
    String text = ip.getHostAddress();
    if (!(ip instanceof Inet6Address)) {
      return text;
    }
    int scope = text.indexOf('%');
    return "[" + (scope < 0 ? text : text.substring(0, scope)) + "]";
  }

  /** The form it was made from, e.g. {@code tcp?idle=poll}. */
  @Override
  public String toString() {
    return form;
  }
}
