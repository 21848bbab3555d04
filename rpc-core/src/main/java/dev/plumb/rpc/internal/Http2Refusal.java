package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Http2Peer;
import dev.plumb.rpc.spi.ForeignPeerAnswer;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A Plumb server's answer to a gRPC client over HTTP/2, which it recognised by the first eight
 * bytes of the connection preface: in HTTP/2, so that the client's call fails at once with
 * UNAVAILABLE saying why ({@link Http2Peer#NOT_HTTP2}), where it would otherwise wait for a
 * handshake or retry a refused connection. It sends the server's preface (an empty SETTINGS),
 * acknowledges the client's SETTINGS, and answers the first call the client opens (its first
 * HEADERS frame) with gRPC's own response to a call that fails before any message, then a
 * GOAWAY naming that call as the last. That is complete: the connection ends. Nothing the
 * client sends is kept but a frame header: payloads are skipped as they come.
 *
 * <p>Not thread-safe: the connection's reader calls it, one call at a time.
 */
final class Http2Refusal implements ForeignPeerAnswer {
  private final byte[] header = new byte[Http2Peer.FRAME_HEADER_LENGTH];
  /** The rest of the client preface, after the eight bytes already read, to skip. */
  private int toSkip = Http2Peer.CLIENT_PREFACE_LENGTH - 8;
  private int headerBytes;
  private boolean opened;
  private boolean complete;

  @Override
  public byte[] answer(ByteBuffer in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!opened) {
      opened = true;
      out.writeBytes(Http2Peer.settings(false));
    }
    while (in.hasRemaining() && !complete) {
      if (toSkip > 0) {
        int n = Math.min(toSkip, in.remaining());
        in.position(in.position() + n);
        toSkip -= n;
      } else {
        header[headerBytes++] = in.get();
        if (headerBytes == header.length) {
          headerBytes = 0;
          onFrameHeader(out);
        }
      }
    }
    // What comes after the answer is dropped.
    in.position(in.limit());
    return out.toByteArray();
  }

  private void onFrameHeader(ByteArrayOutputStream out) {
    toSkip = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    int type = header[3] & 0xff;
    int flags = header[4] & 0xff;
    int streamId = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7fffffff;
    if (type == Http2Peer.SETTINGS && (flags & Http2Peer.FLAG_ACK) == 0) {
      out.writeBytes(Http2Peer.settings(true));
    } else if (type == Http2Peer.HEADERS && streamId != 0) {
      out.writeBytes(Http2Peer.failedCall(streamId, Status.Code.UNAVAILABLE.value(),
          Http2Peer.NOT_HTTP2));
      out.writeBytes(Http2Peer.goAway(streamId, Http2Peer.NOT_HTTP2));
      complete = true;
    }
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
