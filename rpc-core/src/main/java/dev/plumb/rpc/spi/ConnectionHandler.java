package dev.plumb.rpc.spi;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;

/**
 * The core's side of a {@link Connection}: receives frames in order and hears, exactly
 * once, that the link is gone and why. Calls come from the transport's reader thread, or from
 * a blocking caller during its {@link CallerRead} turn, one at a time; the handler may write to
 * the connection from inside them.
 */
public interface ConnectionHandler {
  /**
   * The largest frame payload this side accepts (what it advertised in HELLO). Byte-stream
   * transports size their {@link dev.plumb.rpc.frame.FrameDecoder} with it, so an oversized
   * frame is refused before its payload is allocated. Constant for the connection's life.
   */
  int maxFrameSize();

  /**
   * The most descriptors this side lets the peer's calls hold on the connection
   * ({@code maxAttachmentDescriptors}), or 0 if it takes none (it does not accept attachments).
   * A transport that receives descriptors ahead of the frames that claim them holds no more
   * than this unclaimed: a peer that sends more is breaking the protocol. Constant for the
   * connection's life. A handler that wraps another must pass this on.
   */
  default int maxDescriptors() {
    return 0;
  }

  /** The next inbound frame; it is the handler's from now on, and the handler releases it. */
  void onFrame(Frame frame);

  /**
   * The link took {@code bytes} more of the frames {@linkplain Connection#write written} to it,
   * each counted as its {@link Frame#wireLength} (read before the frame is consumed): they left
   * the connection's own queue for the operating system, a ring or the peer. Bytes that an
   * I/O library buffers on the way count as taken only while its buffer is below its own small
   * bound (Netty's write-buffer high-water mark). The core hands DATA to a connection only while
   * what it wrote and the link has not taken stays below a bound, so a peer that stops reading
   * pins bounded memory; a connection that never called this would stall its streams.
   *
   * <p>Any thread, also from inside {@link Connection#write} or {@link Connection#flush}, but
   * never while holding a lock that those calls could need: the handler may write and flush
   * from inside this call.
   */
  void onSent(long bytes);

  /**
   * The frames delivered since the last call are all the link has for now: the transport's
   * reader is about to wait for more (or has read a batch, such as one socket read). The core
   * merges small DATA frames that arrive together before handing them to gRPC, and hands over
   * what it holds here, so every transport must call this after each batch it delivered, on
   * the thread that delivered it, or the data of small frames would wait for the next batch.
   */
  void onReadComplete();

  /**
   * The peer's bytes are not valid Plumb frames (bad preface, malformed frame). The handler
   * logs it, tells the peer with a GO_AWAY where it can (in HTTP/2 to an HTTP/2 client,
   * {@link Connection#answerForeignPeer}), and closes the connection; the transport only stops
   * decoding.
   */
  void onProtocolError(ProtocolException error);

  /**
   * The link is dead: closed by either side, reset, or broken by a protocol error. After this
   * no frame arrives and writes are dropped. {@code status} is {@code UNAVAILABLE} for a lost
   * link, {@code INTERNAL} for bad bytes from the peer, or the reason given to
   * {@link Connection#close}.
   */
  void onClosed(Status status);
}
