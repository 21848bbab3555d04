package dev.plumb.rpc.kit;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.Preface;
import io.grpc.Status;
import java.nio.ByteBuffer;

/**
 * What a transport sends to a peer it will not serve (a Unix socket peer whose uid is not
 * allowed, say): a GO_AWAY in place of HELLO, carrying the reason. The core's client takes a
 * GO_AWAY before the server's HELLO as a refusal and fails the connection attempt with a
 * status made of the GO_AWAY's code and message, so calls see e.g. {@code PERMISSION_DENIED}
 * and why, not a bare lost connection; a code that is not about who the peer is (a
 * {@code RESOURCE_EXHAUSTED}) reaches them as UNAVAILABLE naming it (PROTOCOL.md, section 5).
 * The core's own connection limits refuse with the same frame.
 *
 * <p>The refused connection never reaches the core: the transport writes these bytes itself,
 * then closes its end once the peer has read them.
 */
public final class Refusal {
  private Refusal() {}

  /** The GO_AWAY frame that refuses a connection for {@code reason} (its code and description). */
  public static Frame goAway(Status reason) {
    return ControlFrames.goAway(0, reason);
  }

  /** For byte-stream transports: the preface, then {@link #goAway}, as one array. */
  public static byte[] streamBytes(Status reason) {
    ByteBuffer frame = FrameCodec.encode(goAway(reason));
    byte[] bytes = new byte[Preface.LENGTH + frame.remaining()];
    System.arraycopy(Preface.bytes(), 0, bytes, 0, Preface.LENGTH);
    frame.get(bytes, Preface.LENGTH, frame.remaining());
    return bytes;
  }
}
