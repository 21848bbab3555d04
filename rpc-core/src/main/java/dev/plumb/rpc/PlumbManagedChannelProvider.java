package dev.plumb.rpc;

import dev.plumb.rpc.registry.GrpcResolvedTargets;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelProvider;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Collections;

/**
 * Lets {@code Grpc.newChannelBuilder("tcp://...", InsecureChannelCredentials.create())}, or
 * {@code TlsChannelCredentials}, build a Plumb channel with no Plumb import: gRPC picks this provider because Plumb's name resolvers
 * produce {@link PlumbAddress}es, which only this provider supports.
 */
public final class PlumbManagedChannelProvider extends ManagedChannelProvider {
  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Below grpc-netty's 5, so plain host:port targets still go to Netty when it is present. */
  @Override
  protected int priority() {
    return 3;
  }

  @Override
  protected ManagedChannelBuilder<?> builderForAddress(String name, int port) {
    throw new UnsupportedOperationException(
        "Plumb channels take a target URI such as tcp://" + name + ":" + port);
  }

  /**
   * A Plumb channel to a Plumb target ({@code ManagedChannelBuilder.forTarget}, where this is
   * the highest provider). Not to a target of gRPC's own resolvers ({@code dns:}): through gRPC's
   * registry those reach Plumb only when the configuration says so
   * ({@code IpTransportChannelProvider}).
   *
   * @throws IllegalArgumentException for a target of gRPC's resolvers, or one that is no
   *     target at all, saying so
   */
  @Override
  protected ManagedChannelBuilder<?> builderForTarget(String target) {
    if (!TransportRegistry.getDefault().servesSchemeOf(target)
        && GrpcResolvedTargets.resolves(target)) {
      throw new IllegalArgumentException("'" + target + "' is not a Plumb target; for a target"
          + " of gRPC's resolvers use Grpc.newChannelBuilder with -Dplumb.ipTransport=tcp, or"
          + " PlumbChannelBuilder.forTarget");
    }
    return PlumbChannelBuilder.forTarget(target);
  }

  /**
   * A Plumb channel secured as {@code creds} say ({@link PlumbChannelBuilder#forTarget(String,
   * ChannelCredentials)}); credentials it cannot honour are an error that gRPC reports with the
   * reason.
   */
  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    try {
      return NewChannelBuilderResult.channelBuilder(PlumbChannelBuilder.forTarget(target, creds));
    } catch (IllegalArgumentException e) {
      return NewChannelBuilderResult.error(e.getMessage());
    }
  }

  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return Collections.singleton(PlumbAddress.class);
  }
}
