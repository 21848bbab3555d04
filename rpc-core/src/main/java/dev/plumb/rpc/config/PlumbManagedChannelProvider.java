package dev.plumb.rpc.config;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.registry.GrpcRegistryTargets;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InternalManagedChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plumb's one channel provider in gRPC's registry: lets {@code Grpc.newChannelBuilder(target,
 * credentials)} ({@code InsecureChannelCredentials}, {@code TlsChannelCredentials}) build a
 * Plumb channel with no Plumb import. It decides by the target alone:
 * <ol>
 *   <li>a Plumb target, one whose scheme gRPC's name resolver registry gives to Plumb
 *       ({@link GrpcRegistryTargets#isPlumbTarget}), also one that is not a URI as written
 *       ({@code pipe:java -cp app.jar Main stdio:}): a Plumb channel;
 *   <li>a target of gRPC's own resolvers that give IP addresses ({@code dns:///name:7000};
 *       {@link GrpcRegistryTargets#isIpTarget}): a Plumb channel over the transport that the
 *       configuration names for IP addresses ({@code plumb.ipTransport}, e.g.
 *       {@code -Dplumb.ipTransport=tcp}) when it names one; otherwise the provider gRPC would
 *       pick without Plumb, since such a target might as well be an HTTP/2 server;
 *   <li>anything else ({@code name:7000}, gRPC's {@code unix:}): the provider gRPC would pick
 *       without Plumb.
 * </ol>
 * Only {@code plumb.ipTransport} is read from the configuration; the channel's other options
 * are set on the builder it returns, as on any gRPC channel builder.
 *
 * <p>Why it stands first in gRPC's order. gRPC's registry picks a provider by the addresses the
 * target's resolver produces: Plumb's resolvers produce {@link PlumbAddress}es, which only this
 * provider takes. A target that does not parse as a URI (the blanks of a command line) gets the
 * resolver of gRPC's default scheme, {@code dns:}, as {@code dns:} targets do, whose addresses
 * grpc-netty takes. So this provider also says it takes {@link InetSocketAddress}es and comes
 * before grpc-netty (priority 6, above its 5): gRPC asks it first, it takes what the list above
 * gives Plumb and declines the rest, which goes on to the next provider as before. Being first
 * also makes it gRPC's default provider, which {@code ManagedChannelBuilder.forTarget} and
 * {@code forAddress} use: it decides the same way there, handing what is not Plumb's to the
 * provider that would be the default without Plumb ({@link OtherChannelProviders}), so that
 * those builders are what they were; {@code forAddress} names a host, never a Plumb target.
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

  /**
   * A Plumb channel for a Plumb target, or for a target of gRPC's IP resolvers when
   * {@code plumb.ipTransport} is configured; otherwise as the default provider without Plumb.
   *
   * @throws IllegalArgumentException for a Plumb target that is malformed, or a configuration
   *     that is wrong (the message says why)
   */
  @Override
  protected ManagedChannelBuilder<?> builderForTarget(String target) {
    Optional<PlumbChannelBuilder> plumb = plumbChannel(target,
        InsecureChannelCredentials.create());
    if (plumb.isPresent()) {
      return plumb.get();
    }
    return InternalManagedChannelProvider.builderForTarget(OtherChannelProviders.first(),
        target);
  }

  /**
   * A Plumb channel secured as {@code creds} say ({@link PlumbChannelBuilder#forTarget(String,
   * ChannelCredentials)}) for the targets the class comment lists; credentials it cannot honour
   * are an error that gRPC reports with the reason. Any other target is declined with the
   * reason, and gRPC asks the next provider; so is a target of gRPC's IP resolvers when the
   * configuration names no transport for IP addresses, or is faulty.
   *
   * @throws IllegalArgumentException for a Plumb target that is malformed: no other provider
   *     could take it, and the reason is Plumb's
   */
  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    if (GrpcRegistryTargets.isPlumbTarget(target)) {
      // A malformed target throws here, with Plumb's reason.
      TransportRegistry.getDefault().parseTarget(target);
    } else if (!GrpcRegistryTargets.isIpTarget(target)) {
      return NewChannelBuilderResult.error("'" + target + "' is not a Plumb target");
    }
    try {
      return plumbChannel(target, creds).map(NewChannelBuilderResult::channelBuilder)
          .orElseGet(() -> NewChannelBuilderResult.error("Plumb carries the IP addresses of '"
              + target + "' only when plumb.ipTransport names a transport for them, e.g."
              + " -Dplumb.ipTransport=tcp or PLUMB_IP_TRANSPORT=tcp"));
    } catch (IllegalArgumentException e) {
      // Credentials it cannot honour, or a faulty configuration (ConfigurationException).
      return NewChannelBuilderResult.error(e.getMessage());
    }
  }

  /** Plumb's own, and gRPC's IP addresses ({@code dns:}, and unparsable targets): see above. */
  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return List.of(PlumbAddress.class, InetSocketAddress.class);
  }

  /** A Plumb channel if {@code target} is Plumb's by the class comment's list, else empty. */
  private static Optional<PlumbChannelBuilder> plumbChannel(String target,
      ChannelCredentials credentials) {
    if (GrpcRegistryTargets.isPlumbTarget(target)) {
      return Optional.of(PlumbChannelBuilder.forTarget(target, credentials));
    }
    if (GrpcRegistryTargets.isIpTarget(target)) {
      return configuredIpTransport().map(transport ->
          PlumbChannelBuilder.forTarget(target, credentials).ipTransport(transport));
    }
    return Optional.empty();
  }

  /**
   * The transport for IP addresses the configuration names, if it names one.
   *
   * @throws ConfigurationException if the configuration is malformed (it names every fault)
   */
  private static Optional<String> configuredIpTransport() {
    return PlumbConfiguration.load().ipTransport();
  }
}
