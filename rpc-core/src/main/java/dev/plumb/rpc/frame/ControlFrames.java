package dev.plumb.rpc.frame;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Reset;
import io.grpc.Status;
import java.nio.ByteBuffer;

/**
 * Building and reading the payloads of the control frames: GO_AWAY, RESET, WINDOW_UPDATE and
 * PING (PROTOCOL.md, section 4). Used by the session and by transports that refuse a peer
 * before the handshake.
 */
public final class ControlFrames {
  /**
   * Characters of a status description carried by RESET or GO_AWAY: with the other fields the
   * frame stays within 1024 bytes, the smallest frame size a peer may advertise.
   */
  public static final int MAX_WIRE_MESSAGE = 200;

  private ControlFrames() {}

  /** GO_AWAY: the sender processed the peer's streams up to {@code lastStreamId}, and why it goes. */
  public static Frame goAway(int lastStreamId, Status status) {
    GoAway goAway = GoAway.newBuilder()
        .setLastStreamId(lastStreamId)
        .setStatusCode(status.getCode().value())
        .setMessage(wireMessage(status))
        .build();
    return Frame.of(FrameType.GO_AWAY, 0, 0, goAway.toByteArray());
  }

  /** RESET: the sender ends stream {@code streamId} with {@code status}. */
  public static Frame reset(int streamId, Status status) {
    Reset reset = Reset.newBuilder()
        .setStatusCode(status.getCode().value())
        .setMessage(wireMessage(status))
        .build();
    return Frame.of(FrameType.RESET, 0, streamId, reset.toByteArray());
  }

  /** WINDOW_UPDATE: the peer may send {@code increment} more DATA bytes on {@code streamId}. */
  public static Frame windowUpdate(int streamId, int increment) {
    return Frame.of(FrameType.WINDOW_UPDATE, 0, streamId,
        ByteBuffer.allocate(4).putInt(increment).flip());
  }

  /** PING, or its answer if {@code flags} has {@link Frame#FLAG_ACK}. */
  public static Frame ping(int flags, long payload) {
    return Frame.of(FrameType.PING, flags, 0, ByteBuffer.allocate(8).putLong(payload).flip());
  }

  /** A PING's 8-byte payload (the codec checked its length). */
  public static long pingPayload(Frame ping) {
    return ping.payload().getLong(ping.payload().position());
  }

  /** A WINDOW_UPDATE's increment, unchecked: may be 0 or read as negative (above 2^31-1). */
  public static int windowIncrement(Frame windowUpdate) {
    return windowUpdate.payload().getInt(windowUpdate.payload().position());
  }

  public static GoAway parseGoAway(Frame frame) throws ProtocolException {
    try {
      return GoAway.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed GO_AWAY: " + e.getMessage());
    }
  }

  public static Reset parseReset(Frame frame) throws ProtocolException {
    try {
      return Reset.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed RESET: " + e.getMessage());
    }
  }

  /** The status a RESET carries; {@code fallback} if the peer sent OK, which ends nothing. */
  public static Status statusOf(Reset reset, Status.Code fallback) {
    Status status = Status.fromCodeValue(reset.getStatusCode());
    if (status.isOk()) {
      status = Status.fromCode(fallback);
    }
    return status.withDescription(reset.getMessage().isEmpty() ? null : reset.getMessage());
  }

  /** A status description cut to {@link #MAX_WIRE_MESSAGE} characters. */
  static String wireMessage(Status status) {
    String description = status.getDescription();
    if (description == null) {
      return "";
    }
    return description.length() <= MAX_WIRE_MESSAGE ? description
        : description.substring(0, MAX_WIRE_MESSAGE - 3) + "...";
  }
}
