package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The Plumb transports on the class path, by URI scheme, found with {@link ServiceLoader} the
 * first time they are needed. Also the one place where target strings become addresses, so
 * that a bad target fails when the channel or server is built, naming the accepted schemes.
 */
public final class TransportRegistry {
  /**
   * Before a scheme, names the same Plumb transport: {@code plumb+unix:///run/app.sock} is
   * {@code unix:///run/app.sock}. The name under which gRPC's own registry knows a Plumb scheme
   * that gRPC gives to HTTP/2 ({@code unix:}, grpc-netty's); docs/TRANSPORTS.md, "Schemes in
   * gRPC's registry".
   */
  public static final String ALIAS_PREFIX = "plumb+";

  private static volatile TransportRegistry defaultRegistry;

  private final Map<String, PlumbTransport> bySchemes;

  TransportRegistry(Iterable<PlumbTransport> transports) {
    Map<String, PlumbTransport> map = new TreeMap<>();
    for (PlumbTransport transport : transports) {
      for (String scheme : transport.schemes()) {
        PlumbTransport previous = map.putIfAbsent(scheme, transport);
        if (previous != null) {
          throw new IllegalStateException("two Plumb transports claim the scheme '" + scheme
              + "': " + previous.getClass().getName() + " and " + transport.getClass().getName());
        }
      }
    }
    bySchemes = Collections.unmodifiableMap(map);
  }

  public static TransportRegistry getDefault() {
    TransportRegistry registry = defaultRegistry;
    if (registry == null) {
      synchronized (TransportRegistry.class) {
        registry = defaultRegistry;
        if (registry == null) {
          registry = new TransportRegistry(ServiceLoader.load(
              PlumbTransport.class, TransportRegistry.class.getClassLoader()));
          defaultRegistry = registry;
        }
      }
    }
    return registry;
  }

  /** The schemes served, sorted. */
  public java.util.Set<String> schemes() {
    return bySchemes.keySet();
  }

  /** The transports, each once (a transport may serve several schemes), by first scheme. */
  public java.util.Collection<PlumbTransport> transports() {
    return java.util.List.copyOf(new java.util.LinkedHashSet<>(bySchemes.values()));
  }

  /** The transport for {@code address}'s scheme. */
  public PlumbTransport transportFor(PlumbAddress address) {
    PlumbTransport transport = bySchemes.get(address.scheme());
    if (transport == null) {
      throw unknownScheme(address.toString(), address.scheme());
    }
    return transport;
  }

  /**
   * Parses a target or listen string into a canonical address; {@code plumb+scheme:} is taken
   * as {@code scheme:} ({@link #ALIAS_PREFIX}).
   *
   * @throws IllegalArgumentException if it is not a URI, has a scheme no transport serves, or
   *     its transport rejects it; the message says which and lists the accepted schemes
   */
  public PlumbAddress parse(String target) {
    URI uri = toUri(target.regionMatches(true, 0, ALIAS_PREFIX, 0, ALIAS_PREFIX.length())
        ? target.substring(ALIAS_PREFIX.length()) : target);
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("'" + target + "' has no scheme; expected one of "
          + String.join(", ", schemesWithColon()) + ", e.g. tcp://127.0.0.1:7000");
    }
    PlumbTransport transport = bySchemes.get(scheme.toLowerCase(java.util.Locale.ROOT));
    if (transport == null) {
      throw unknownScheme(target, scheme);
    }
    return transport.parse(uri);
  }

  /**
   * The target as a URI. A target with characters a URI may not hold (the spaces of
   * {@code pipe:java -jar server.jar}) is taken as {@code scheme:rest#fragment} and
   * {@code rest} is quoted, so command lines and paths can be written as they are; a bare
   * {@code scheme:} becomes {@code scheme:/}.
   */
  private URI toUri(String target) {
    try {
      return new URI(target);
    } catch (URISyntaxException e) {
      int colon = target.indexOf(':');
      if (colon > 0 && bySchemes.containsKey(target.substring(0, colon).toLowerCase(
          java.util.Locale.ROOT))) {
        try {
          int hash = unquotedHash(target, colon);
          String rest = hash < 0 ? target.substring(colon + 1) : target.substring(colon + 1, hash);
          String fragment = hash < 0 ? null : target.substring(hash + 1);
          // "scheme:" alone (stdio:) names the transport's one endpoint; a URI needs a path.
          return new URI(target.substring(0, colon), rest.isEmpty() ? "/" : rest, fragment);
        } catch (URISyntaxException quoted) {
          // Fall through to the original error.
        }
      }
      throw new IllegalArgumentException("'" + target + "' is not a URI (" + e.getReason()
          + "); expected one of the schemes " + String.join(", ", schemesWithColon()), e);
    }
  }

  /** The first '#' after {@code from} that is not inside '...' or "..." (a command's words). */
  private static int unquotedHash(String target, int from) {
    char quote = 0;
    for (int i = from; i < target.length(); i++) {
      char c = target.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#') {
        return i;
      }
    }
    return -1;
  }

  private IllegalArgumentException unknownScheme(String target, String scheme) {
    return new IllegalArgumentException("no Plumb transport for the scheme '" + scheme + "' in '"
        + target + "'; the class path has transports for "
        + (bySchemes.isEmpty() ? "no scheme" : String.join(", ", schemesWithColon())));
  }

  private java.util.List<String> schemesWithColon() {
    java.util.List<String> list = new java.util.ArrayList<>();
    for (String scheme : bySchemes.keySet()) {
      list.add(scheme + ":");
    }
    return list;
  }
}
