package dev.plumb.rpc.spi;

import dev.plumb.rpc.frame.Frame;
import io.grpc.Status;

/**
 * The core's side of a {@link Connection}: receives frames in order and hears, exactly
 * once, that the link is gone and why. Calls come from the transport's reader thread, one at
 * a time; the handler may write to the connection from inside them.
 */
public interface ConnectionHandler {
  void onFrame(Frame frame);

  /**
   * The link is dead: closed by either side, reset, or broken by a protocol error. After this
   * no frame arrives and writes are dropped. {@code status} is {@code UNAVAILABLE} for a lost
   * link, {@code INTERNAL} for bad bytes from the peer, or the reason given to
   * {@link Connection#close}.
   */
  void onClosed(Status status);
}
