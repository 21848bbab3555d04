package dev.plumb.transport.tcp;

import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.kit.Refusal;
import dev.plumb.rpc.log.RateLimitedWarnings;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits ahead of the {@link io.netty.handler.ssl.SslHandler} on a TLS link and looks at the
 * peer's first bytes: if they are Plumb's plaintext preface, the peer is a Plumb endpoint without
 * TLS, and the link ends at once with a status that says so, instead of a TLS error about a
 * record that is not one. A server tells such a client why, in plaintext it can read: the preface
 * and a GO_AWAY in place of HELLO ({@link Refusal}), which fails the client's connection attempt
 * with UNAVAILABLE and the reason; it then half-closes and drops what the client still sends
 * until the client closes (closing with unread bytes could reset the connection under the
 * GO_AWAY), or the core's handshake timeout does. Anything else (a TLS record) passes on
 * untouched, and this handler leaves the pipeline. On the event loop.
 */
final class PlaintextPeerCheck extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(PlaintextPeerCheck.class);
  private static final RateLimitedWarnings peerWarnings = RateLimitedWarnings.forPeers(log);
  private static final byte[] PREFACE = Preface.bytes();
  /** "PLUMB\n": enough to tell Plumb's preface from a TLS record, whose first byte is 20 to 24. */
  private static final int MAGIC_LENGTH = 6;

  private final NettyConnection connection;
  private final boolean client;

  PlaintextPeerCheck(NettyConnection connection, boolean client) {
    this.connection = connection;
    this.client = client;
  }

  /** Set once the peer turned out to speak plaintext Plumb: its bytes are dropped from then on. */
  private boolean plaintextPeer;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (plaintextPeer) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int readable = Math.min(in.readableBytes(), MAGIC_LENGTH);
    for (int i = 0; i < readable; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
        // Not Plumb in plaintext: the rest is the TLS handler's to judge.
        ctx.pipeline().remove(this);
        return;
      }
    }
    if (readable < MAGIC_LENGTH) {
      return;
    }
    plaintextPeer = true;
    in.skipBytes(in.readableBytes());
    Status status = Status.UNAVAILABLE.withDescription(client
        ? "the server " + ctx.channel().remoteAddress() + " answered in plaintext: it is a Plumb"
            + " server without TLS; connect with InsecureChannelCredentials, or to its TLS address"
        : "this address takes TLS only, and the client " + ctx.channel().remoteAddress()
            + " spoke plaintext Plumb; connect with TlsChannelCredentials");
    if (connection.closingFor(status)) {
      peerWarnings.warn("plaintext", "tcp: {}", status.getDescription());
    }
    if (client) {
      ctx.close();
    } else {
      // Ahead of the TLS handler: these bytes leave unencrypted, as the client expects them.
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Refusal.streamBytes(status)))
          .addListener(done -> ((DuplexChannel) ctx.channel()).shutdownOutput());
    }
  }
}
