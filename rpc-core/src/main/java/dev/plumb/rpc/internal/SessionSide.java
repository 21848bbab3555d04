package dev.plumb.rpc.internal;

import dev.plumb.proto.wire.GoAway;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;

/**
 * What one side of the protocol does with what the session receives. Every method is called
 * under the session lock, and calls into gRPC only through {@link Session#afterUnlock}.
 */
interface SessionSide<S extends StreamRecord> {
  /** A short name for log lines: side and address. */
  String describe();

  /**
   * Whether this side sends its HELLO, and so its first byte, only once the peer's HELLO has
   * arrived: the server's, which never speaks first, so that a peer of another protocol (a
   * gRPC client over HTTP/2) can still be answered in its own (docs/PROTOCOL.md, section 2).
   */
  boolean waitsForPeerHello();

  /** The peer's HELLO arrived; the session may now carry streams. */
  void onHandshakeComplete();

  /** A HEADERS, TRAILERS or RESET frame. */
  void onStreamFrame(Frame frame) throws ProtocolException;

  /**
   * DATA for an open stream, already counted against the windows: checked here before the
   * session hands it to the stream ({@link StreamRecord#onDataReceived}).
   */
  void onStreamData(S stream, Frame frame) throws ProtocolException;

  /** The peer is going away (after the handshake; before it, it is a refusal). */
  void onGoAway(GoAway goAway) throws ProtocolException;

  /** Rejects a frame for a stream the peer could not have seen opened. */
  void checkKnownStream(Frame frame) throws ProtocolException;

  /**
   * Ends an open stream for what the peer sent on it, framing intact: RESET with
   * {@code status} to the peer, the call ends with it, the stream leaves the session.
   */
  void failStream(S stream, Status status);

  /** A stream left the session (see {@link Session#removeStream}). */
  void onStreamRemoved(S stream);

  /** The link is dead: fail what is open and tell the listener. The streams are still there. */
  void onConnectionClosed(Status status);

  /** The highest stream id the peer opened that this side processed (for GO_AWAY). */
  int lastPeerStreamId();
}
