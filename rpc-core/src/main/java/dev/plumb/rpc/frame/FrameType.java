package dev.plumb.rpc.frame;

/**
 * The frame types of the Plumb wire protocol, with their one-byte codes (docs/PROTOCOL.md).
 * A code outside this table is a protocol error: the protocol is versioned, so a new type
 * comes with a new version, not with a silent skip.
 */
public enum FrameType {
  /** Stream 0. The sender's settings, a {@code plumb.wire.v1.Hello}; the first frame of each side. */
  HELLO(0x1),
  /** Opens a stream (client) or carries response headers (server); a {@code Headers}. */
  HEADERS(0x2),
  /** A piece of the gRPC message byte stream. Flow controlled. May carry END_STREAM. */
  DATA(0x3),
  /** Server only: ends the stream with status and trailing metadata; a {@code Headers}. */
  TRAILERS(0x4),
  /** Either side abandons a stream; a {@code Reset} with a status. */
  RESET(0x5),
  /** Grants the peer more DATA bytes on a stream, or on the connection when stream id is 0. */
  WINDOW_UPDATE(0x6),
  /** Stream 0. Eight opaque bytes, echoed back with the ACK flag. */
  PING(0x7),
  /** Stream 0. The sender accepts no new streams; a {@code GoAway}. */
  GO_AWAY(0x8),
  /**
   * Attachments of one of the sender's messages on the stream, sent before the DATA that
   * completes it; only to a peer whose HELLO accepts them ({@link AttachFrames}).
   */
  ATTACH(0x9),
  /** Inline bytes of the stream's attachments, in order. Flow controlled as DATA. */
  ATTACH_DATA(0xA);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The byte that stands for this type on the wire. */
  public int code() {
    return code;
  }

  /** The type with this code, or {@code null} if the code names no type. */
  public static FrameType forCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
