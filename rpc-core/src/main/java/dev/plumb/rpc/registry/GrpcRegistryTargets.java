package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.NameResolverRegistry;

/**
 * The target under which gRPC's name resolver registry hands an address to Plumb's resolver:
 * what a Plumb channel gives gRPC's channel to resolve. The address as it is where gRPC's
 * registry maps its scheme to Plumb; {@code plumb+} and the address where gRPC gives the scheme
 * to another library and Plumb's resolver answers to the alias ({@code unix:} is grpc-netty's
 * HTTP/2 over a Unix socket, Plumb's is {@code plumb+unix:}). So a Plumb channel to
 * {@code unix:///run/app.sock} stays Plumb's whatever else is on the class path.
 */
public final class GrpcRegistryTargets {
  private GrpcRegistryTargets() {}

  /** What gRPC's channel must resolve to reach {@code address} through Plumb's resolver. */
  public static String channelTarget(PlumbAddress address) {
    NameResolverRegistry resolvers = NameResolverRegistry.getDefaultRegistry();
    if (!(resolvers.getProviderForScheme(address.scheme()) instanceof PlumbNameResolverProvider)
        && resolvers.getProviderForScheme(TransportRegistry.ALIAS_PREFIX + address.scheme())
            instanceof PlumbNameResolverProvider) {
      return TransportRegistry.ALIAS_PREFIX + address;
    }
    return address.toString();
  }
}
