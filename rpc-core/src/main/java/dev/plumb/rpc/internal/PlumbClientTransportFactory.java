package dev.plumb.rpc.internal;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.ChannelCredentials;
import io.grpc.ChannelLogger;
import io.grpc.internal.ClientTransportFactory;
import io.grpc.internal.ConnectionClientTransport;
import io.grpc.internal.GrpcUtil;
import io.grpc.internal.SharedResourceHolder;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ScheduledExecutorService;

/** Makes one {@link PlumbClientTransport} per connection attempt of a channel. */
public final class PlumbClientTransportFactory implements ClientTransportFactory {
  private final TransportRegistry registry;
  private final ProtocolSettings settings;
  private final ChannelSecurity security;
  private final ScheduledExecutorService timer = SharedResourceHolder.get(GrpcUtil.TIMER_SERVICE);
  private boolean closed;

  public PlumbClientTransportFactory(TransportRegistry registry, ProtocolSettings settings,
      ChannelSecurity security) {
    this.registry = registry;
    this.settings = settings;
    this.security = security;
  }

  @Override
  public ConnectionClientTransport newClientTransport(SocketAddress serverAddress,
      ClientTransportOptions options, ChannelLogger channelLogger) {
    if (closed) {
      throw new IllegalStateException("the transport factory is closed");
    }
    PlumbAddress address = (PlumbAddress) serverAddress;
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
      SharedResourceHolder.release(GrpcUtil.TIMER_SERVICE, timer);
    }
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return Collections.singleton(PlumbAddress.class);
  }
}
