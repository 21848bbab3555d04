package dev.plumb.rpc.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * gRPC over HTTP/2 (RFC 9113), as much of it as a Plumb endpoint needs to tell such a peer by
 * its first eight bytes, where Plumb's {@link Preface} belongs, and to answer a client in its
 * own protocol:
 *
 * <ul>
 *   <li>A client opens with the connection preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}:
 *       its first eight bytes are {@code PRI * HT}.
 *   <li>A server speaks first too, with a SETTINGS frame on stream 0: a 9-byte header whose
 *       length (3 bytes) is a multiple of 6, type 0x4, flags 0 (the first SETTINGS is never an
 *       acknowledgement), then a stream id of 0, of which the eighth byte is the third.
 * </ul>
 *
 * <p>The frames are written as RFC 9113 lays them out; a header block uses only HPACK's static
 * table and literals without indexing (RFC 7541), which leave the peer's dynamic table alone.
 */
public final class Http2Peer {
  /** The length of the client's connection preface. */
  public static final int CLIENT_PREFACE_LENGTH = 24;
  /** The length of a frame header. */
  public static final int FRAME_HEADER_LENGTH = 9;
  public static final int HEADERS = 0x1;
  public static final int SETTINGS = 0x4;
  public static final int GOAWAY = 0x7;
  public static final int FLAG_ACK = 0x1;
  private static final int FLAG_END_STREAM = 0x1;
  private static final int FLAG_END_HEADERS = 0x4;
  private static final int NO_ERROR = 0x0;
  private static final byte[] CLIENT_PREFACE_START =
      "PRI * HT".getBytes(StandardCharsets.US_ASCII);
  /** HPACK: the static table's ":status: 200", indexed. */
  private static final int STATUS_200 = 0x80 | 8;
  /** HPACK: the static table's index of the name "content-type". */
  private static final int CONTENT_TYPE_NAME = 31;

  /** What an HTTP/2 client of a Plumb endpoint is told, as its calls' status message. */
  public static final String NOT_HTTP2 = "this is a Plumb endpoint, which speaks Plumb's protocol,"
      + " not gRPC over HTTP/2: call it with a Plumb channel (PlumbChannelBuilder; plumb+unix:"
      + " in gRPC's registry), or call the server's grpc:// address if it serves one"
      + " (plumb-transport-grpc)";

  private Http2Peer() {}

  /** Whether {@code first} (eight bytes) starts HTTP/2's client connection preface. */
  static boolean isClient(byte[] first) {
    return Arrays.equals(first, 0, CLIENT_PREFACE_START.length,
        CLIENT_PREFACE_START, 0, CLIENT_PREFACE_START.length);
  }

  /** Whether {@code first} (eight bytes) starts an HTTP/2 server's first SETTINGS frame. */
  static boolean isServer(byte[] first) {
    int length = ((first[0] & 0xff) << 16) | ((first[1] & 0xff) << 8) | (first[2] & 0xff);
    return length % 6 == 0 && first[3] == SETTINGS && first[4] == 0
        && first[5] == 0 && first[6] == 0 && first[7] == 0;
  }

  /** A SETTINGS frame that changes nothing, or that acknowledges the peer's. */
  public static byte[] settings(boolean ack) {
    return frame(SETTINGS, ack ? FLAG_ACK : 0, 0, new byte[0]);
  }

  /**
   * The whole response to the call on {@code streamId}, as gRPC sends one that fails before
   * any message ("trailers-only"): HTTP status 200, content type application/grpc, then
   * {@code grpc-status} and {@code grpc-message}, and the end of the stream.
   */
  public static byte[] failedCall(int streamId, int grpcStatus, String message) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(STATUS_200);
    integer(block, 0x00, 4, CONTENT_TYPE_NAME);
    string(block, "application/grpc");
    literal(block, "grpc-status", Integer.toString(grpcStatus));
    literal(block, "grpc-message", percentEncoded(message));
    return frame(HEADERS, FLAG_END_STREAM | FLAG_END_HEADERS, streamId, block.toByteArray());
  }

  /** A GOAWAY: no stream after {@code lastStreamId} is processed; no error, {@code debug}. */
  public static byte[] goAway(int lastStreamId, String debug) {
    byte[] text = debug.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(8 + text.length);
    payload.putInt(lastStreamId).putInt(NO_ERROR).put(text);
    return frame(GOAWAY, 0, 0, payload.array());
  }

  private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuffer out = ByteBuffer.allocate(FRAME_HEADER_LENGTH + payload.length);
    out.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8))
        .put((byte) payload.length);
    out.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
    return out.array();
  }

  /** HPACK: a literal field without indexing, with a literal name. */
  private static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00);
    string(block, name);
    string(block, value);
  }

  /** HPACK: a string literal, not Huffman-coded (the caller keeps to ASCII). */
  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    integer(block, 0x00, 7, bytes.length);
    block.writeBytes(bytes);
  }

  /** HPACK: an integer in a prefix of {@code bits} bits, after {@code pattern}'s high bits. */
  private static void integer(ByteArrayOutputStream block, int pattern, int bits, int value) {
    int max = (1 << bits) - 1;
    if (value < max) {
      block.write(pattern | value);
      return;
    }
    block.write(pattern | max);
    int rest = value - max;
    while (rest >= 0x80) {
      block.write((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    block.write(rest);
  }

  /** grpc-message's encoding: bytes outside printable ASCII, and '%', as %XX. */
  private static String percentEncoded(String message) {
    StringBuilder out = new StringBuilder();
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append(String.format("%%%02X", c));
      }
    }
    return out.toString();
  }
}
