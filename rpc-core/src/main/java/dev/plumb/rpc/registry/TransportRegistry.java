package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern HOST_AND_PORT = Pattern.compile("[^:/?#\\[\\]]+:[0-9]+");
  /**
   * {@code scheme://A,B...rest} or {@code scheme:///A[,B...]rest}: the scheme, the endpoints
   * listed in the authority or else in the path, and the options and fragment.
   */
  private static final Pattern ENDPOINT_LIST = Pattern.compile(
      "([A-Za-z][A-Za-z0-9+.-]*)://(?:([^/?#]*,[^/?#]*)|/([^/?#]+))([?#].*)?", Pattern.DOTALL);
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

  /** The transport serving {@code scheme}, which must be one of {@link #schemes()}. */
  PlumbTransport transportForScheme(String scheme) {
    return bySchemes.get(scheme);
  }

  /**
   * Parses a listen address, or a target of one endpoint, into a canonical address;
   * {@code plumb+scheme:} is taken as {@code scheme:} ({@link #ALIAS_PREFIX}).
   *
   * @throws IllegalArgumentException if it is not a URI, has a scheme no transport serves, lists
   *     several endpoints (which only a channel's target may), or its transport rejects it; the
   *     message says which and lists the accepted schemes
   */
  public PlumbAddress parse(String address) {
    List<URI> endpoints = endpoints(address);
    if (endpoints.size() > 1) {
      throw new IllegalArgumentException("'" + address + "' lists " + endpoints.size()
          + " endpoints, where one address is taken (a server listens on each of its addresses"
          + " alone); give each its own listen address, e.g. " + endpoints.get(0) + " and "
          + endpoints.get(1) + " (PlumbServerBuilder.addListenAddress, or plumb.listen="
          + endpoints.get(0) + "," + endpoints.get(1) + "); a list is a channel's target");
    }
    return parseEndpoint(endpoints.get(0));
  }

  /**
   * Parses a channel's target: one endpoint, or several listed in the URI's authority
   * ({@link PlumbTarget}); {@code plumb+scheme:} is taken as {@code scheme:}.
   *
   * @throws IllegalArgumentException as {@link #parse}, naming the endpoint that is wrong
   */
  public PlumbTarget parseTarget(String target) {
    List<PlumbAddress> parsed = new ArrayList<>();
    for (URI endpoint : endpoints(target)) {
      parsed.add(parseEndpoint(endpoint));
    }
    return new PlumbTarget(parsed);
  }

  /**
   * Whether {@code target} starts with the scheme of a transport on the class path, or that
   * scheme after {@link #ALIAS_PREFIX}.
   */
  public boolean servesSchemeOf(String target) {
    String written = withoutAlias(target);
    int colon = written.indexOf(':');
    return colon > 0
        && bySchemes.containsKey(written.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /** {@code target} without a leading {@link #ALIAS_PREFIX}. */
  private static String withoutAlias(String target) {
    return target.regionMatches(true, 0, ALIAS_PREFIX, 0, ALIAS_PREFIX.length())
        ? target.substring(ALIAS_PREFIX.length()) : target;
  }

  private PlumbAddress parseEndpoint(URI uri) {
    return bySchemes.get(uri.getScheme().toLowerCase(Locale.ROOT)).parse(uri);
  }

  /**
   * The URI of each endpoint that {@code target} lists (one if it lists none), with the target's
   * options and fragment. Only a transport of {@link PlumbTransport#hostPortAddresses} takes a
   * list, in the authority ({@code tcp://h1:7000,h2:7000}) or in the path
   * ({@code tcp:///h1:7000,h2:7000}, which RFC 3986 allows and gRPC 1.83 and later parse); it
   * is split before it is parsed as a URI, since a URI's host holds neither commas beside a port
   * nor more than one bracketed IPv6 address. Its scheme is served; {@code plumb+scheme:} is
   * {@code scheme:}.
   */
  private List<URI> endpoints(String target) {
    String written = withoutAlias(target);
    Matcher list = ENDPOINT_LIST.matcher(written);
    if (!list.matches() || !servesHostPortScheme(list.group(1))) {
      return List.of(served(toUri(written), target));
    }
    String listed = list.group(2) != null ? list.group(2) : list.group(3);
    String rest = list.group(4) == null ? "" : list.group(4);
    List<URI> endpoints = new ArrayList<>();
    for (String one : listed.split(",", -1)) {
      if (one.isBlank()) {
        throw new IllegalArgumentException("'" + target + "' has an empty endpoint in its list;"
            + " expected endpoints separated by single commas, e.g."
            + " tcp://10.0.0.1:7000,10.0.0.2:7000");
      }
      endpoints.add(served(toUri(list.group(1) + "://" + PlumbTarget.unescape(one) + rest),
          target));
    }
    return endpoints;
  }

  private boolean servesHostPortScheme(String scheme) {
    PlumbTransport transport = bySchemes.get(scheme.toLowerCase(Locale.ROOT));
    return transport != null && transport.hostPortAddresses();
  }

  /** {@code uri}, if a transport serves its scheme. */
  private URI served(URI uri, String target) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("'" + target + "' has no scheme; expected one of "
          + String.join(", ", schemesWithColon()) + ", e.g. tcp://127.0.0.1:7000");
    }
    if (!bySchemes.containsKey(scheme.toLowerCase(Locale.ROOT))) {
      throw unknownScheme(target, scheme);
    }
    return uri;
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
          Locale.ROOT))) {
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
          + "); expected one of the schemes " + String.join(", ", schemesWithColon())
          + hostAndPortHint(target), e);
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
        + (bySchemes.isEmpty() ? "no scheme" : String.join(", ", schemesWithColon()))
        + hostAndPortHint(target));
  }

  /** A hint for {@code host:port}, which is not a URI of any transport. */
  private static String hostAndPortHint(String target) {
    return HOST_AND_PORT.matcher(target).matches()
        ? "; '" + target + "' looks like HOST:PORT, which is tcp://" + target : "";
  }

  private List<String> schemesWithColon() {
    List<String> list = new ArrayList<>();
    for (String scheme : bySchemes.keySet()) {
      list.add(scheme + ":");
    }
    return list;
  }
}
