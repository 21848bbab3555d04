package dev.plumb.rpc;

import dev.plumb.rpc.registry.GrpcRegistryTargets;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.InternalManagedChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;

/**
 * Lets {@code Grpc.newChannelBuilder("tcp://...", InsecureChannelCredentials.create())}, or
 * {@code TlsChannelCredentials}, build a Plumb channel with no Plumb import, for every target
 * that gRPC's name resolver registry gives to Plumb ({@link GrpcRegistryTargets}), also one that
 * is not a URI as written: {@code pipe:java -cp app.jar Main stdio:}.
 *
 * <p>Why it stands first in gRPC's order. gRPC picks a provider by the addresses the target's
 * resolver produces: Plumb's resolvers produce {@link PlumbAddress}es, which only this provider
 * takes. But a target that does not parse as a URI (the blanks of a command line) gets the
 * resolver of gRPC's default scheme, {@code dns:}, whose addresses grpc-netty takes, and
 * grpc-netty would then fail on DNS. So this provider also says it takes
 * {@link InetSocketAddress}es and comes before grpc-netty (priority 6, above its 5): gRPC asks it
 * first, it takes the Plumb targets and declines every other, which goes on to the next
 * provider as before. Being first also makes it gRPC's default provider, which
 * {@code ManagedChannelBuilder.forTarget} and {@code forAddress} use: it passes what is not a
 * Plumb target to the provider that would be the default without Plumb
 * ({@link OtherChannelProviders}), so that those builders are what they were.
 */
public final class PlumbManagedChannelProvider extends ManagedChannelProvider {
  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Above grpc-netty's 5: see the class comment. */
  @Override
  protected int priority() {
    return 6;
  }

  /** As the provider that would be gRPC's default without Plumb: a host has no Plumb scheme. */
  @Override
  protected ManagedChannelBuilder<?> builderForAddress(String name, int port) {
    return InternalManagedChannelProvider.builderForAddress(OtherChannelProviders.first(), name,
        port);
  }

  /** A Plumb channel for a Plumb target; otherwise as the default provider without Plumb. */
  @Override
  protected ManagedChannelBuilder<?> builderForTarget(String target) {
    if (GrpcRegistryTargets.isPlumbTarget(target)) {
      return PlumbChannelBuilder.forTarget(target);
    }
    return InternalManagedChannelProvider.builderForTarget(OtherChannelProviders.first(),
        target);
  }

  /**
   * A Plumb channel secured as {@code creds} say ({@link PlumbChannelBuilder#forTarget(String,
   * ChannelCredentials)}) for a Plumb target; credentials it cannot honour are an error that
   * gRPC reports with the reason. Any other target is declined, and gRPC asks the next provider.
   *
   * @throws IllegalArgumentException for a Plumb target that is malformed: no other provider
   *     could take it, and the reason is Plumb's
   */
  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    if (!GrpcRegistryTargets.isPlumbTarget(target)) {
      return NewChannelBuilderResult.error("not a Plumb target");
    }
    // A malformed target throws here, with Plumb's reason.
    TransportRegistry.getDefault().parse(target);
    try {
      return NewChannelBuilderResult.channelBuilder(PlumbChannelBuilder.forTarget(target, creds));
    } catch (IllegalArgumentException e) {
      return NewChannelBuilderResult.error(e.getMessage());
    }
  }

  /** Plumb's own, and gRPC's default scheme's, which unparsable targets get: see above. */
  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return List.of(PlumbAddress.class, InetSocketAddress.class);
  }
}
