package dev.plumb.transport.tcp;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.ForeignPeerAnswer;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Connection} over a Netty channel: the core's frame codec on a byte stream.
 *
 * <p>Writes from any thread go into a list under a small lock; {@link #flush} schedules one
 * task on the channel's event loop that swaps the list for an empty one, encodes everything in
 * it into as few buffers as possible and flushes once, so a burst of small frames costs one
 * syscall and one lock section on the event loop (a lock-free queue cost an atomic operation
 * per frame there, a tenth of a streaming side's time). A flush requested while the
 * event loop is reading is folded into {@code channelReadComplete}. Inbound bytes are decoded
 * on the event loop and handed to the core there, in order.
 *
 * <p>Encoded bytes count as sent ({@link ConnectionHandler#onSent}) while the channel is
 * writable, that is while Netty's own outbound buffer is below its high-water mark; bytes
 * encoded when it is not are reported when it drains ({@code channelWritabilityChanged}).
 */
final class NettyConnection extends ChannelInboundHandlerAdapter implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
  private static final int COALESCE_BUFFER_SIZE = 16 * 1024;
  /**
   * How long a link that answered a foreign peer waits for the peer to hang up before it closes
   * anyway: closing a socket with unread input resets it, and the peer could lose the answer.
   */
  private static final long FOREIGN_LINGER_MILLIS = 2000;

  private final Channel channel;
  /** Guards {@link #pending}. */
  private final Object pendingLock = new Object();
  /**
   * Frames written since the last flush, in order; flushNow swaps it with {@link #draining}.
   * Both lists keep the capacity of the largest burst, which the session's backlog bounds.
   */
  private ArrayList<Frame> pending = new ArrayList<>();
  /** The list flushNow empties, then hands back for writing. Event-loop confined. */
  private ArrayList<Frame> draining = new ArrayList<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Runnable flushTask = this::flushNow;
  /** Replaced once, on the event loop, when a TLS handshake completes ({@link #secured}). */
  private volatile Attributes attributes;
  private volatile Status closeReason;

  // Event-loop confined.
  private ConnectionHandler handler;
  private FrameDecoder decoder;
  /** Bytes that arrived before start (Netty reads at end-of-stream even with auto-read off). */
  private ByteBuf early;
  private Status inactiveBeforeStart;
  private boolean reading;
  private boolean flushAfterRead;
  private boolean closedNotified;
  private boolean prefaceSent;
  /** The answer to a peer of another protocol, who gets nothing else; null for Plumb's. */
  private ForeignPeerAnswer foreign;
  /** Set once {@link #foreign} is complete: what the peer still sends is dropped. */
  private boolean foreignAnswered;
  /** A frame header as it is encoded, before it is appended to a batch. */
  private final byte[] header = new byte[FrameCodec.HEADER_LENGTH];
  private final ByteBuffer headerBuffer = ByteBuffer.wrap(header);
  /** Wire bytes encoded while the channel was not writable, not yet reported as sent. */
  private long encodedUnreported;

  NettyConnection(Channel channel) {
    this.channel = channel;
    this.attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, channel.remoteAddress())
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, channel.localAddress())
        .build();
  }

  @Override
  public void start(ConnectionHandler handler) {
    channel.eventLoop().execute(() -> {
      this.handler = handler;
      this.decoder = new FrameDecoder(handler.maxFrameSize(), true);
      if (early != null) {
        ByteBuf bytes = early;
        early = null;
        decode(bytes);
        handler.onReadComplete();
      }
      if (!channel.isActive()) {
        notifyClosed(inactiveBeforeStart != null ? inactiveBeforeStart
            : Status.UNAVAILABLE.withDescription("connection closed before it started"));
        return;
      }
      channel.config().setAutoRead(true);
      channel.read();
    });
  }

  /**
   * The preface goes out with the first frames, not when the link starts: a server sends
   * nothing until its peer's HELLO, and may answer a foreign peer in its own protocol instead
   * ({@link #answerForeignPeer}). On the event loop.
   */
  private void sendPreface() {
    if (!prefaceSent) {
      prefaceSent = true;
      channel.write(Unpooled.wrappedBuffer(Preface.bytes()));
    }
  }

  @Override
  public void write(Frame frame) {
    synchronized (pendingLock) {
      pending.add(frame);
    }
  }

  /** The frames written since the last call, in order. On the event loop. */
  private ArrayList<Frame> takePending() {
    ArrayList<Frame> frames;
    synchronized (pendingLock) {
      frames = pending;
      pending = draining;
    }
    draining = frames;
    return frames;
  }

  @Override
  public void flush() {
    if (channel.eventLoop().inEventLoop() && reading) {
      flushAfterRead = true;
    } else if (flushScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(flushTask);
    }
  }

  /** Encodes every queued frame and flushes once. On the event loop. */
  private void flushNow() {
    flushScheduled.set(false);
    ArrayList<Frame> frames = takePending();
    if (!channel.isActive()) {
      frames.clear();
      return;
    }
    if (!frames.isEmpty()) {
      sendPreface();
    }
    ByteBuf batch = null;
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      int length = frame.wireLength();
      encodedUnreported += length;
      if (batch == null || batch.writableBytes() < length) {
        if (batch != null) {
          channel.write(batch);
        }
        batch = channel.alloc().directBuffer(Math.max(COALESCE_BUFFER_SIZE, length));
      }
      writeHeader(batch, frame);
      // One copy, into the pooled direct buffer the socket writes from (Netty would copy a
      // heap buffer there itself); the payload's array can then be lent again at once.
      batch.writeBytes(frame.payload());
      frame.release();
    }
    frames.clear();
    if (batch != null) {
      channel.write(batch);
    }
    channel.flush();
    reportSent();
  }

  /** Reports the encoded bytes as sent if Netty's buffer has room. On the event loop. */
  private void reportSent() {
    if (encodedUnreported > 0 && handler != null && channel.isWritable()) {
      long bytes = encodedUnreported;
      encodedUnreported = 0;
      handler.onSent(bytes);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    reportSent();
    ctx.fireChannelWritabilityChanged();
  }

  /** Encodes the header into {@link #header}, then appends it to {@code out}. On the event loop. */
  private void writeHeader(ByteBuf out, Frame frame) {
    headerBuffer.clear();
    FrameCodec.writeHeader(frame, headerBuffer);
    out.writeBytes(header);
  }

  @Override
  public void close(Status reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    channel.eventLoop().execute(() -> {
      flushNow();
      channel.close();
    });
  }

  /**
   * From now on sends only what {@code answer} returns for the peer's bytes (their rest in the
   * current read comes from {@link #decode}); once it is complete, half-closes and drops what
   * the peer sends until it hangs up (which closes the channel), or until
   * {@link #FOREIGN_LINGER_MILLIS} have passed since the answer began.
   */
  @Override
  public void answerForeignPeer(ForeignPeerAnswer answer, Status reason) {
    if (!channel.eventLoop().inEventLoop()) {
      // Not from decode(): the rest of the failed read is gone, but the peer's next bytes come.
      channel.eventLoop().execute(() -> answerForeignPeer(answer, reason));
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    foreign = answer;
    prefaceSent = true;
    takePending().clear();
    channel.eventLoop().schedule(() -> channel.close(), FOREIGN_LINGER_MILLIS,
        TimeUnit.MILLISECONDS);
    channel.config().setAutoRead(true);
  }

  /** Hands the foreign peer's bytes to the answer, sends its reply. On the event loop. */
  private void answerForeign(ByteBuffer received) {
    if (foreignAnswered) {
      return;  // Dropped: the peer speaks another protocol.
    }
    byte[] reply = foreign.answer(received);
    if (reply.length > 0) {
      channel.write(Unpooled.wrappedBuffer(reply));
    }
    if (foreign.isComplete()) {
      foreignAnswered = true;
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
        if (channel instanceof DuplexChannel duplex) {
          duplex.shutdownOutput();
        } else {
          channel.close();
        }
      });
    } else {
      channel.flush();
    }
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  /**
   * The TLS handshake completed: {@link #attributes()} carry its session from now on. Called on
   * the event loop before any decrypted byte is read, so before the core sees a frame.
   */
  void secured(SSLSession session) {
    attributes = attributes.toBuilder().set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session).build();
  }

  /**
   * The link is about to close for {@code reason} (a failed TLS handshake, a peer without TLS):
   * the handler hears it, unless the link was already closing for another. Returns whether
   * {@code reason} is the one. On the event loop.
   */
  boolean closingFor(Status reason) {
    if (closeReason != null) {
      return false;
    }
    closeReason = reason;
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf bytes = (ByteBuf) msg;
    if (foreign != null) {
      try {
        for (ByteBuffer buffer : bytes.nioBuffers()) {
          answerForeign(buffer);
        }
      } finally {
        bytes.release();
      }
      return;
    }
    reading = true;
    if (decoder == null) {
      early = early == null ? bytes : Unpooled.wrappedBuffer(early, bytes);
      return;
    }
    decode(bytes);
    // What the frames of this read made the handler write goes out now, not at the end of
    // the read loop: a loop can bring a megabyte, and the peer would wait for the answers
    // and window updates of all of it, idle, before it could send more.
    if (flushAfterRead) {
      flushAfterRead = false;
      flushNow();
    }
  }

  private void decode(ByteBuf bytes) {
    ByteBuffer[] buffers = bytes.nioBuffers();
    int i = 0;
    try {
      for (; i < buffers.length; i++) {
        decoder.decode(buffers[i], handler::onFrame);
      }
    } catch (ProtocolException e) {
      channel.config().setAutoRead(false);
      handler.onProtocolError(e);
      if (foreign != null) {
        // The handler answers the peer in its own protocol: from the failed bytes' end on.
        for (; i < buffers.length; i++) {
          answerForeign(buffers[i]);
        }
      }
    } finally {
      bytes.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (handler != null) {
      // Still reading: what the handler writes now goes with the flush below.
      handler.onReadComplete();
    }
    reading = false;
    if (flushAfterRead) {
      flushAfterRead = false;
      flushNow();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Status reason = closeReason;
    if (reason == null) {
      reason = Status.UNAVAILABLE.withDescription(decoder == null || decoder.isAtFrameBoundary()
          ? "connection closed by peer " + channel.remoteAddress()
          : "connection closed by peer " + channel.remoteAddress() + " in the middle of "
              + decoder.describePartialInput());
    }
    if (handler == null) {
      inactiveBeforeStart = reason;
    }
    notifyClosed(reason);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (early != null) {
      early.release();
      early = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closeReason == null) {
      String what = cause instanceof IOException ? "I/O error" : "unexpected error";
      closeReason = Status.UNAVAILABLE
          .withDescription(what + " on connection to " + channel.remoteAddress() + ": "
              + cause.getMessage())
          .withCause(cause);
      if (!(cause instanceof IOException)) {
        log.warn("{} on {}", what, channel, cause);
      }
    }
    channel.close();
  }

  private void notifyClosed(Status status) {
    takePending().clear();
    if (handler != null && !closedNotified) {
      closedNotified = true;
      handler.onClosed(status);
    }
  }
}
