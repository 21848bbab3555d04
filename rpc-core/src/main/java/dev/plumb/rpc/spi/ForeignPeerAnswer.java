package dev.plumb.rpc.spi;

import java.nio.ByteBuffer;

/**
 * The core's answer to a peer that speaks another protocol (a gRPC client over HTTP/2), in that
 * protocol, so that the peer's own error says why it cannot talk here: the connection hands it
 * what the peer sends and sends the peer what it returns ({@link Connection#answerForeignPeer}).
 * Called from the connection's reader, one call at a time.
 */
public interface ForeignPeerAnswer {
  /**
   * Takes all of {@code in}, the peer's next bytes, and returns what to send the peer now,
   * maybe nothing. The first call gets what followed, in the same read, the bytes that gave the
   * peer away (maybe none) and returns at least the answer's opening.
   */
  byte[] answer(ByteBuffer in);

  /**
   * Whether everything is said: the connection then ends its output, drops what the peer still
   * sends, and ends once the peer hangs up or its close deadline passes.
   */
  boolean isComplete();
}
