package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;

/**
 * Resolves targets of one Plumb scheme to {@link PlumbAddress}es, so that gRPC channels, whether
 * built by {@code PlumbChannelBuilder} or by {@code Grpc.newChannelBuilder}, reach the Plumb
 * transport for that scheme: one address per endpoint, or, on a transport whose addresses are
 * {@code HOST:PORT}, one per IP address of each endpoint's host ({@link PlumbNameResolver}).
 * Each transport module lists one small subclass naming its scheme in
 * {@code META-INF/services/io.grpc.NameResolverProvider} (gRPC's registry holds one scheme per
 * provider instance).
 */
public abstract class PlumbNameResolverProvider extends NameResolverProvider {
  private final String scheme;

  protected PlumbNameResolverProvider(String scheme) {
    this.scheme = scheme;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return scheme;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return Collections.singleton(PlumbAddress.class);
  }

  /**
   * A resolver of {@code targetUri}: one endpoint or several ({@link PlumbTarget}), each host of
   * a transport of {@link dev.plumb.rpc.spi.PlumbTransport#hostPortAddresses} looked up with
   * the JVM's resolver, again when gRPC asks for it (at most every
   * {@code networkaddress.cache.ttl} seconds, as gRPC's DNS resolver).
   */
  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!scheme.equalsIgnoreCase(targetUri.getScheme())) {
      return null;
    }
    TransportRegistry registry = TransportRegistry.getDefault();
    PlumbTarget target = registry.parseTarget(targetUri.toString());
    HostLookup hosts = registry.transportForScheme(target.scheme()).hostPortAddresses()
        ? HostLookup.system() : null;
    return new PlumbNameResolver(target,
        new TargetLookup(target, hosts, registry, args.getOverrideAuthority() != null), args,
        ReResolutionLimit.fromSystemProperty());
  }
}
