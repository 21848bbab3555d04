package dev.plumb.rpc.spi;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;

/**
 * The core's side of a {@link Connection}: receives frames in order and hears, exactly
 * once, that the link is gone and why. Calls come from the transport's reader thread, one at
 * a time; the handler may write to the connection from inside them.
 */
public interface ConnectionHandler {
  /**
   * The largest frame payload this side accepts (what it advertised in HELLO). Byte-stream
   * transports size their {@link dev.plumb.rpc.frame.FrameDecoder} with it, so an oversized
   * frame is refused before its payload is allocated. Constant for the connection's life.
   */
  int maxFrameSize();

  /** The next inbound frame; it is the handler's from now on, and the handler releases it. */
  void onFrame(Frame frame);

  /**
   * The peer's bytes are not valid Plumb frames (bad preface, malformed frame). The handler
   * logs it, tells the peer with a GO_AWAY where it can, and closes the connection; the
   * transport only stops decoding.
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
