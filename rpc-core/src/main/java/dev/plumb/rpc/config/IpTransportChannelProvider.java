package dev.plumb.rpc.config;

import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * Lets {@code Grpc.newChannelBuilder("dns:///name:7000", credentials)} build a Plumb channel
 * when the configuration names the transport for IP addresses ({@code plumb.ipTransport}, e.g.
 * {@code -Dplumb.ipTransport=tcp}). gRPC offers it the targets whose name resolvers give IP
 * addresses; without the key it declines, naming the key, since such a target might as well be
 * an HTTP/2 server. A target without a scheme ({@code name:7000}) is declined too, its message
 * pointing at {@code tcp://name:7000}; {@code dns:///name:7000} is the other spelling Plumb
 * takes. Only that key is read: the channel's other options are set on the builder it returns,
 * as on any gRPC channel builder.
 *
 * <p>Priority 2: below {@code PlumbManagedChannelProvider} (3), which serves Plumb's own
 * targets, and below grpc-netty's and grpc-okhttp's 5, which take IP addresses first wherever
 * they are on the class path (use {@code PlumbChannelBuilder.forTarget} there).
 */
public final class IpTransportChannelProvider extends ManagedChannelProvider {
  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 2;
  }

  @Override
  protected ManagedChannelBuilder<?> builderForAddress(String name, int port) {
    return builderForTarget(name + ":" + port);
  }

  @Override
  protected ManagedChannelBuilder<?> builderForTarget(String target) {
    return channelBuilder(target, InsecureChannelCredentials.create());
  }

  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    try {
      return NewChannelBuilderResult.channelBuilder(channelBuilder(target, creds));
    } catch (IllegalArgumentException e) {
      return NewChannelBuilderResult.error(e.getMessage());
    }
  }

  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return Set.of(InetSocketAddress.class);
  }

  /**
   * A Plumb channel to {@code target} over the configured transport for IP addresses.
   *
   * @throws IllegalArgumentException if the configuration is wrong or names none, or the
   *     channel cannot be made (the message says why)
   */
  private static PlumbChannelBuilder channelBuilder(String target,
      ChannelCredentials credentials) {
    String transport = PlumbConfiguration.load().ipTransport().orElseThrow(
        () -> new IllegalArgumentException("Plumb carries the IP addresses of '" + target
            + "' only when plumb.ipTransport names a transport for them, e.g."
            + " -Dplumb.ipTransport=tcp or PLUMB_IP_TRANSPORT=tcp"));
    return PlumbChannelBuilder.forTarget(target, credentials).ipTransport(transport);
  }
}
