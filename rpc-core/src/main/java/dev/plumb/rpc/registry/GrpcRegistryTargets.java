package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.util.Locale;

/**
 * Which targets gRPC's own name resolver registry gives to Plumb: those whose scheme it maps to
 * a {@link PlumbNameResolverProvider}. A scheme that gRPC gives to another library stays that
 * library's ({@code unix:} is grpc-netty's HTTP/2 over a Unix socket); Plumb's resolver for it
 * answers to the alias {@code plumb+unix:} there (docs/TRANSPORTS.md, "Schemes in gRPC's
 * registry").
 */
public final class GrpcRegistryTargets {
  private GrpcRegistryTargets() {}

  /**
   * What gRPC's channel must resolve to reach {@code address} through Plumb's resolver: the
   * address as it is, or {@code plumb+} and the address where gRPC's registry gives its scheme
   * to another library and Plumb's resolver answers to the alias. So a Plumb channel to
   * {@code unix:///run/app.sock} stays Plumb's whatever else is on the class path.
   */
  public static String channelTarget(PlumbAddress address) {
    if (!isPlumbs(address.scheme())
        && isPlumbs(TransportRegistry.ALIAS_PREFIX + address.scheme())) {
      return TransportRegistry.ALIAS_PREFIX + address;
    }
    return address.toString();
  }

  /**
   * Whether gRPC's registry gives {@code target} to Plumb, going by the text before its first
   * colon: for a target that is not a URI as written ({@code pipe:java -jar app.jar}).
   */
  public static boolean isPlumbTarget(String target) {
    int colon = target.indexOf(':');
    return colon > 0 && isPlumbs(target.substring(0, colon));
  }

  private static boolean isPlumbs(String scheme) {
    NameResolverProvider provider = NameResolverRegistry.getDefaultRegistry()
        .getProviderForScheme(scheme.toLowerCase(Locale.ROOT));
    return provider instanceof PlumbNameResolverProvider;
  }
}
