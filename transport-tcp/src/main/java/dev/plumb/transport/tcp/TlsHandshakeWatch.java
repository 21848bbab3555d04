package dev.plumb.transport.tcp;

import dev.plumb.rpc.log.RateLimitedWarnings;
import io.grpc.Status;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the {@link SslHandler}: tells the {@link NettyConnection} the TLS session once the
 * handshake is done (before any decrypted byte reaches it), and ends the link with a status that
 * says why when TLS fails, in the handshake or after it (a TLS 1.3 server refuses a client's
 * certificate only after the client's side of the handshake is done). Each failure is logged at
 * most 20 times a minute. On the event loop.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatch.class);
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);

  private final NettyConnection connection;
  private final SslHandler ssl;
  private final boolean client;

  TlsHandshakeWatch(NettyConnection connection, SslHandler ssl, boolean client) {
    this.connection = connection;
    this.ssl = ssl;
    this.client = client;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent) {
      SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) event;
      if (done.isSuccess()) {
        connection.secured(ssl.engine().getSession());
      } else {
        fail(ctx, done.cause());
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    SSLException ssl = TlsFailures.sslCause(cause);
    if (ssl != null) {
      fail(ctx, ssl);
    }
    ctx.fireExceptionCaught(cause);
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    Status status = TlsFailures.status(ctx.channel().remoteAddress(), client, cause);
    if (connection.closingFor(status)) {
      peerWarnings.warn("tls", "tcp: {}", status.getDescription());
    }
  }
}
