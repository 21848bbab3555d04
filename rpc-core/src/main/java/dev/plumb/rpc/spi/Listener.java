package dev.plumb.rpc.spi;

import java.net.SocketAddress;

/** A server endpoint that accepts connections, returned by {@link PlumbTransport#listen}. */
public interface Listener extends AutoCloseable {
  /**
   * The address clients can use to reach this listener, with anything chosen at bind time
   * filled in (e.g. the port when 0 was asked for).
   */
  PlumbAddress boundAddress();

  /** The transport-level address (an {@link java.net.InetSocketAddress}, a socket path, ...). */
  SocketAddress localSocketAddress();

  /** Stops accepting; connections already accepted stay open. Idempotent. */
  @Override
  void close();
}
