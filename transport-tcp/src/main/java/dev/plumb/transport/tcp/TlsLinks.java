package dev.plumb.transport.tcp;

import dev.plumb.rpc.spi.PlumbAddress;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;

/**
 * The pipeline of a TLS link, ahead of its {@link NettyConnection}: {@link PlaintextPeerCheck},
 * Netty's {@link SslHandler}, {@link TlsHandshakeWatch}. The TLS handler has no handshake timeout
 * of its own: the core's handshake timeout, which starts when the link is handed over, bounds
 * the TLS handshake and Plumb's HELLO together, with one setting.
 */
final class TlsLinks {
  private TlsLinks() {}

  /**
   * A client's links: the server's certificate must name the host of {@code authority} (the
   * channel's authority, {@code host:port}), which is also sent as the server name (SNI).
   */
  static LinkSetup client(SslContext context, String authority, PlumbAddress address) {
    Peer peer = peer(authority, address);
    return (channel, connection) -> install(channel, connection,
        context.newHandler(channel.alloc(), peer.host(), peer.port()), true);
  }

  /** A server's accepted links. */
  static LinkSetup server(SslContext context) {
    return (channel, connection) ->
        install(channel, connection, context.newHandler(channel.alloc()), false);
  }

  private static void install(Channel channel, NettyConnection connection, SslHandler ssl,
      boolean client) {
    ssl.setHandshakeTimeoutMillis(0);
    channel.pipeline().addLast(new PlaintextPeerCheck(connection, client), ssl,
        new TlsHandshakeWatch(connection, ssl, client));
  }

  /** Where a client's TLS engine says it connects: the name it verifies and sends (SNI). */
  private record Peer(String host, int port) {}

  /**
   * {@code authority}'s host (without an IPv6 literal's brackets, as the TLS engine wants it)
   * and port; the address's where the authority has none or cannot be parsed.
   */
  private static Peer peer(String authority, PlumbAddress address) {
    URI uri;
    try {
      uri = URI.create("//" + authority);
    } catch (IllegalArgumentException e) {
      uri = address.uri();
    }
    String host = uri.getHost() != null ? uri.getHost() : address.uri().getHost();
    int port = uri.getPort() >= 0 ? uri.getPort() : address.uri().getPort();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Peer(host, port);
  }
}
