package dev.plumb.rpc.registry;

import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Targets that gRPC's own name resolvers resolve ({@code dns:///name:port}, or a resolver of
 * another scheme that finds servers by IP address), whose addresses a Plumb channel carries
 * over its {@link IpTransport}.
 */
public final class GrpcResolvedTargets {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*",
      Pattern.DOTALL);

  private GrpcResolvedTargets() {}

  /**
   * Whether a name resolver in gRPC's registry serves {@code target}'s scheme. Meant for a
   * scheme no Plumb transport serves (Plumb's resolvers are in gRPC's registry too).
   *
   * @throws IllegalArgumentException if that resolver gives addresses other than IP addresses,
   *     which no Plumb transport carries
   */
  public static boolean resolves(String target) {
    Matcher matcher = SCHEME.matcher(target);
    if (!matcher.matches()) {
      return false;
    }
    NameResolverProvider provider =
        NameResolverRegistry.getDefaultRegistry().getProviderForScheme(matcher.group(1));
    if (provider == null) {
      return false;
    }
    Collection<Class<? extends SocketAddress>> types = provider.getProducedSocketAddressTypes();
    if (!Set.of(InetSocketAddress.class).containsAll(types)) {
      throw new IllegalArgumentException("'" + target + "' is resolved by gRPC's "
          + provider.getClass().getName() + " to " + types + ", which no Plumb transport"
          + " carries; a Plumb channel takes Plumb targets and IP addresses");
    }
    return true;
  }
}
