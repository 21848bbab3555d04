package dev.plumb.rpc.frame;

import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The eight bytes each side of a byte-stream connection sends before any frame:
 *
 * <pre>
 *   0                   6       8
 *   +---+---+---+---+---+---+---+---+
 *   | P | L | U | M | B |\n | version |   version: unsigned 16-bit, big-endian
 *   +---+---+---+---+---+---+---+---+
 * </pre>
 *
 * The client sends it at once, the server with its HELLO once the client's HELLO has arrived ({@code Session});
 * each checks the peer's. A wrong magic means the peer is not a Plumb endpoint (the error
 * quotes what it sent, and names gRPC over HTTP/2 where it is that: {@link Http2Peer}), a
 * wrong version that it speaks another revision of the protocol.
 */
public final class Preface {
  public static final int LENGTH = 8;
  public static final int VERSION = 1;

  private static final byte[] MAGIC = "PLUMB\n".getBytes(StandardCharsets.US_ASCII);

  private Preface() {}

  /** Writes this side's preface into {@code dst}, which must have {@link #LENGTH} bytes free. */
  public static void write(ByteBuffer dst) {
    dst.put(MAGIC);
    dst.putShort((short) VERSION);
  }

  public static byte[] bytes() {
    ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
    write(buffer);
    return buffer.array();
  }

  /** What the log says of an HTTP/2 client at a Plumb endpoint. */
  static final String HTTP2_CLIENT = "peer speaks HTTP/2 (gRPC over HTTP/2), not Plumb: it sent"
      + " HTTP/2's connection preface (a server answers it in HTTP/2: its call fails with"
      + " UNAVAILABLE, saying this is a Plumb endpoint)";
  /** What a Plumb client of an HTTP/2 server is told. */
  static final String HTTP2_SERVER = "peer speaks HTTP/2 (gRPC over HTTP/2), not Plumb: it sent"
      + " an HTTP/2 SETTINGS frame where Plumb's preface belongs. Call it through gRPC's HTTP/2"
      + " transport (grpc-netty) instead: the target host:port (dns:///host:port) in place of"
      + " tcp://host:port, gRPC's own unix:///path (Grpc.newChannelBuilder) in place of Plumb's";

  /** Checks a received preface of exactly {@link #LENGTH} bytes. */
  static void check(byte[] received) throws ProtocolException {
    if (Http2Peer.isClient(received)) {
      throw ProtocolException.fromHttp2Client(Status.UNAVAILABLE.withDescription(HTTP2_CLIENT));
    }
    if (Http2Peer.isServer(received)) {
      throw new ProtocolException(Status.UNAVAILABLE.withDescription(HTTP2_SERVER));
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (received[i] != MAGIC[i]) {
        throw new ProtocolException(Status.UNAVAILABLE.withDescription(
            "peer is not a Plumb endpoint: it sent " + quote(received) + " instead of the preface"
                + (startsTlsHandshake(received) ? " (the start of a TLS handshake: the peer"
                    + " uses TLS, and this side does not)" : "")));
      }
    }
    int version = ((received[6] & 0xff) << 8) | (received[7] & 0xff);
    if (version != VERSION) {
      throw new ProtocolException(Status.UNAVAILABLE.withDescription(
          "peer speaks Plumb protocol version " + version + ", this side speaks " + VERSION));
    }
  }

  /** A TLS record of the handshake type (22), protocol version 3.x: a ClientHello, say. */
  private static boolean startsTlsHandshake(byte[] received) {
    return received[0] == 0x16 && received[1] == 0x03;
  }

  /** Printable rendering of unexpected bytes for an error message: text as is, the rest escaped. */
  public static String quote(byte[] bytes) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append((char) c);
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    return out.append('"').toString();
  }
}
