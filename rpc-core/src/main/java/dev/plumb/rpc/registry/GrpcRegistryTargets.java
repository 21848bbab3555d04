package dev.plumb.rpc.registry;

import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What gRPC's own name resolver registry makes of a target, by its scheme: a Plumb target, whose
 * scheme it maps to a {@link PlumbNameResolverProvider}; a target of gRPC's own resolvers that
 * find servers by IP address ({@code dns:///name:port}), whose addresses a Plumb channel may
 * carry over its {@link IpTransport}; or another library's. A scheme that gRPC gives to another
 * library stays that library's ({@code unix:} is grpc-netty's HTTP/2 over a Unix socket);
 * Plumb's resolver for it answers to the alias {@code plumb+unix:} there (docs/TRANSPORTS.md,
 * "Schemes in gRPC's registry").
 */
public final class GrpcRegistryTargets {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*",
      Pattern.DOTALL);

  private GrpcRegistryTargets() {}

  /**
   * What gRPC's channel must resolve to reach {@code target} through Plumb's resolver: its
   * canonical form, or {@code plumb+} and that form where gRPC's registry gives its scheme to
   * another library and Plumb's resolver answers to the alias. So a Plumb channel to
   * {@code unix:///run/app.sock} stays Plumb's whatever else is on the class path.
   */
  public static String channelTarget(PlumbTarget target) {
    String alias = TransportRegistry.ALIAS_PREFIX + target.scheme();
    if (!isPlumbs(target.scheme()) && isPlumbs(alias)) {
      return TransportRegistry.ALIAS_PREFIX + target;
    }
    return target.toString();
  }

  /**
   * Whether gRPC's registry gives {@code target} to Plumb, going by the text before its first
   * colon: for a target that is not a URI as written ({@code pipe:java -jar app.jar}).
   */
  public static boolean isPlumbTarget(String target) {
    int colon = target.indexOf(':');
    return colon > 0 && isPlumbs(target.substring(0, colon));
  }

  /**
   * Whether {@code target}'s scheme is one of gRPC's own resolvers (not Plumb's) that give IP
   * addresses only ({@code dns:}): a target that a Plumb channel may take over its transport for
   * IP addresses. False for a target without a scheme ({@code name:7000}).
   */
  public static boolean isIpTarget(String target) {
    NameResolverProvider provider = grpcResolverOf(target);
    return provider != null && !(provider instanceof PlumbNameResolverProvider)
        && givesIpAddressesOnly(provider);
  }

  /**
   * Whether a name resolver in gRPC's registry serves {@code target}'s scheme. Meant for a
   * scheme no Plumb transport serves (Plumb's resolvers are in gRPC's registry too).
   *
   * @throws IllegalArgumentException if that resolver gives addresses other than IP addresses,
   *     which no Plumb transport carries
   */
  public static boolean resolvesToIpAddresses(String target) {
    NameResolverProvider provider = grpcResolverOf(target);
    if (provider == null) {
      return false;
    }
    if (!givesIpAddressesOnly(provider)) {
      throw new IllegalArgumentException("'" + target + "' is resolved by gRPC's "
          + provider.getClass().getName() + " to " + provider.getProducedSocketAddressTypes()
          + ", which no Plumb transport carries; a Plumb channel takes Plumb targets and IP"
          + " addresses");
    }
    return true;
  }

  /** The resolver gRPC's registry has for {@code target}'s scheme, or null. */
  private static NameResolverProvider grpcResolverOf(String target) {
    Matcher matcher = SCHEME.matcher(target);
    return matcher.matches() ? providerFor(matcher.group(1)) : null;
  }

  private static boolean givesIpAddressesOnly(NameResolverProvider provider) {
    Collection<Class<? extends SocketAddress>> types = provider.getProducedSocketAddressTypes();
    return Set.of(InetSocketAddress.class).containsAll(types);
  }

  private static boolean isPlumbs(String scheme) {
    return providerFor(scheme) instanceof PlumbNameResolverProvider;
  }

  private static NameResolverProvider providerFor(String scheme) {
    return NameResolverRegistry.getDefaultRegistry()
        .getProviderForScheme(scheme.toLowerCase(Locale.ROOT));
  }
}
