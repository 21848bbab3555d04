package dev.plumb.rpc.internal;

import dev.plumb.rpc.registry.IpTransport;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.ChannelCredentials;
import io.grpc.ChannelLogger;
import io.grpc.internal.ClientTransportFactory;
import io.grpc.internal.ConnectionClientTransport;
import io.grpc.internal.SharedResourceHolder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes one {@link PlumbClientTransport} per connection attempt of a channel, to a
 * {@link PlumbAddress}, or, with an {@link IpTransport}, to an {@link InetSocketAddress} of
 * gRPC's own name resolvers, carried by that transport.
 */
public final class PlumbClientTransportFactory implements ClientTransportFactory {
  private final TransportRegistry registry;
  private final ProtocolSettings settings;
  private final ChannelSecurity security;
  /** Null: the channel takes no IP address. */
  private final IpTransport ipTransport;
  private final ScheduledExecutorService timer = SharedResourceHolder.get(CoalescingScheduler.SHARED);
  private boolean closed;

  /** {@code ipTransport} may be null: the channel then takes Plumb addresses only. */
  public PlumbClientTransportFactory(TransportRegistry registry, ProtocolSettings settings,
      ChannelSecurity security, IpTransport ipTransport) {
    this.registry = registry;
    this.settings = settings;
    this.security = security;
    this.ipTransport = ipTransport;
  }

  @Override
  public ConnectionClientTransport newClientTransport(SocketAddress serverAddress,
      ClientTransportOptions options, ChannelLogger channelLogger) {
    if (closed) {
      throw new IllegalStateException("the transport factory is closed");
    }
    // Only the types getSupportedSocketAddressTypes declares reach here: gRPC checks the name
    // resolver's against them when the channel is built, and Plumb's channels use no proxy
    // (with which gRPC's DNS resolver would give a proxied address).
    PlumbAddress address = serverAddress instanceof InetSocketAddress
        ? ipTransport.addressOf((InetSocketAddress) serverAddress)
        : (PlumbAddress) serverAddress;
    PlumbTransport transport = registry.transportFor(address);
    String authority = options.getAuthority();
    return new PlumbClientTransport(address,
        () -> security.connect(transport, address, authority), authority,
        options.getEagAttributes(), settings, timer);
  }

  @Override
  public ScheduledExecutorService getScheduledExecutorService() {
    return timer;
  }

  @Override
  public SwapChannelCredentialsResult swapChannelCredentials(ChannelCredentials channelCreds) {
    return null;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      SharedResourceHolder.release(CoalescingScheduler.SHARED, timer);
    }
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return ipTransport == null ? Set.of(PlumbAddress.class)
        : Set.of(PlumbAddress.class, InetSocketAddress.class);
  }
}
