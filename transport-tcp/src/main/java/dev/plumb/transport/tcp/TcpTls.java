package dev.plumb.transport.tcp;

import dev.plumb.rpc.spi.TlsSupport;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.netty.handler.ssl.SslContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * TLS on {@code tcp:} links with Netty's {@link io.netty.handler.ssl.SslHandler}: gRPC's
 * credentials become an {@link SslContext} once per channel or listen address
 * ({@link TlsContexts}), and each connection gets the TLS handlers ({@link TlsLinks}). Mutual
 * TLS and custom key and trust managers are implemented; anything else the credentials ask for
 * is refused by the core before it gets here.
 */
final class TcpTls implements TlsSupport {
  private final TcpTransport transport;

  TcpTls(TcpTransport transport) {
    this.transport = transport;
  }

  @Override
  public Set<TlsChannelCredentials.Feature> channelFeatures() {
    return EnumSet.of(TlsChannelCredentials.Feature.MTLS,
        TlsChannelCredentials.Feature.CUSTOM_MANAGERS);
  }

  @Override
  public Set<TlsServerCredentials.Feature> serverFeatures() {
    return EnumSet.of(TlsServerCredentials.Feature.MTLS,
        TlsServerCredentials.Feature.CUSTOM_MANAGERS);
  }

  @Override
  public Connector connector(TlsChannelCredentials credentials) {
    SslContext context = TlsContexts.client(credentials);
    return (address, authority) ->
        transport.connect(address, TlsLinks.client(context, authority, address));
  }

  @Override
  public Acceptor acceptor(TlsServerCredentials credentials) {
    SslContext context = TlsContexts.server(credentials);
    return (address, onAccept) -> transport.listen(address, onAccept, TlsLinks.server(context));
  }
}
