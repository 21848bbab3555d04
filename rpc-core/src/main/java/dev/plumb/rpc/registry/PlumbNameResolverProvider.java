package dev.plumb.rpc.registry;

import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Resolves targets of one Plumb scheme to a {@link PlumbAddress}, so that gRPC channels, whether
 * built by {@code PlumbChannelBuilder} or by {@code Grpc.newChannelBuilder}, reach the Plumb
 * transport for that scheme. Each transport module lists one small subclass naming its scheme
 * in {@code META-INF/services/io.grpc.NameResolverProvider} (gRPC's registry holds one scheme per
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

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!scheme.equalsIgnoreCase(targetUri.getScheme())) {
      return null;
    }
    return new FixedAddressResolver(TransportRegistry.getDefault().parse(targetUri.toString()));
  }

  /** A Plumb address names one endpoint: it resolves to itself, once. */
  private static final class FixedAddressResolver extends NameResolver {
    private final PlumbAddress address;

    FixedAddressResolver(PlumbAddress address) {
      this.address = address;
    }

    @Override
    public String getServiceAuthority() {
      String authority = address.uri().getRawAuthority();
      return authority == null || authority.isEmpty() ? "localhost" : authority;
    }

    @Override
    public void start(Listener2 listener) {
      Status status = listener.onResult2(ResolutionResult.newBuilder()
          .setAddressesOrError(io.grpc.StatusOr.fromValue(
              List.of(new EquivalentAddressGroup(address))))
          .build());
      if (!status.isOk()) {
        listener.onError(status);
      }
    }

    @Override
    public void shutdown() {}
  }
}
