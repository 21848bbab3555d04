package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.ProtocolException;

/** How a side keeps track of the peer's liveness and polices its PINGs. Under the lock. */
interface PingPolicy {
  /** Any frame arrived: a sign of life. */
  void onFrameReceived();

  /** A PING arrived; throws if the peer pings more often than allowed. */
  void checkPingAllowed() throws ProtocolException;

  /** The answer to a PING this side sent. */
  void onPingAck(long payload);

  /** The application queued DATA: the connection is in use. */
  void onDataQueued();
}
