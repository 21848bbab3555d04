package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a channel's target names: one endpoint, or, for a transport of
 * {@link dev.plumb.rpc.spi.PlumbTransport#hostPortAddresses}, several separated by commas
 * ({@code tcp://10.0.0.1:7000,10.0.0.2:7000?idle=poll}, the options belonging to each). Each
 * endpoint is parsed by its transport, so its form is checked and canonical. An endpoint may
 * still hold a host name, which the name resolver looks up ({@link PlumbNameResolverProvider}).
 * Immutable.
 */
public final class PlumbTarget {
  private static final Pattern ESCAPES = Pattern.compile("%(5[BbDd]|3[Aa])");

  private final List<PlumbAddress> endpoints;

  PlumbTarget(List<PlumbAddress> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a target names at least one endpoint");
    }
    this.endpoints = List.copyOf(endpoints);
  }

  /** The endpoints, in the target's order. */
  public List<PlumbAddress> endpoints() {
    return endpoints;
  }

  /** The transport's scheme, the same for every endpoint. */
  public String scheme() {
    return endpoints.get(0).scheme();
  }

  /**
   * The authority a channel to this target presents by default: the first endpoint's, or
   * {@code localhost} for a transport whose addresses have none ({@code unix:}, {@code pipe:}).
   */
  public String authority() {
    return authorityOf(endpoints.get(0));
  }

  /** The endpoint's own authority, or {@code localhost} if it has none. */
  static String authorityOf(PlumbAddress endpoint) {
    String authority = endpoint.uri().getRawAuthority();
    return authority == null || authority.isEmpty() ? "localhost" : authority;
  }

  /**
   * The canonical form, which both {@link java.net.URI} and RFC 3986 (gRPC 1.83 and later) parse:
   * one endpoint as its transport writes it; several in the path,
   * {@code tcp:///10.0.0.1:7000,10.0.0.2:7000?idle=poll}, IPv6 brackets escaped.
   */
  @Override
  public String toString() {
    if (endpoints.size() == 1) {
      return endpoints.get(0).toString();
    }
    List<String> authorities = new ArrayList<>();
    for (PlumbAddress endpoint : endpoints) {
      authorities.add(escape(endpoint.uri().getRawAuthority()));
    }
    String first = endpoints.get(0).toString();
    String rest = first.substring((scheme() + "://" + endpoints.get(0).uri().getRawAuthority())
        .length());
    return scheme() + ":///" + String.join(",", authorities) + rest;
  }

  /** IPv6 brackets as a URI's path must hold them. */
  private static String escape(String authority) {
    return authority.replace("[", "%5B").replace("]", "%5D");
  }

  /** An endpoint of a list as written, with escaped brackets and colons taken back. */
  static String unescape(String endpoint) {
    return ESCAPES.matcher(endpoint).replaceAll(escape -> switch (escape.group().toUpperCase(
        Locale.ROOT)) {
      case "%5B" -> "[";
      case "%5D" -> "]";
      default -> ":";
    });
  }
}
