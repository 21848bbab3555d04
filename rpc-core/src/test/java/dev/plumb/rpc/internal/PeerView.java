package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client sees of a server session, for the fuzz tests: it is told each frame the client
 * sends ({@link #clientSent}) and checks each frame the session writes ({@link #serverWrote})
 * against what the client may expect:
 *
 * <ul>
 *   <li>HELLO first, once, and only after the client's (a server speaks second), or else a
 *       GO_AWAY that ends the connection before it; every frame passes the checks of the client's frame decoder (type,
 *       stream, fixed lengths, the client's maximum frame size); RESET and GO_AWAY parse;
 *   <li>no frame on a stream after the server ended it (TRAILERS or RESET);
 *   <li>DATA within the windows the client granted: its HELLO's, plus its WINDOW_UPDATEs;
 *   <li>no more window granted back than the client sent DATA bytes, per stream and in all.
 * </ul>
 *
 * The client's grants are counted as the session might have taken them (every positive
 * increment the client sent, even one the session refused), so the window checks are upper
 * bounds: they can miss an overrun, never invent one.
 */
final class PeerView {
  /** The smallest maximum frame size a peer may advertise (PROTOCOL.md). */
  private static final int MIN_MAX_FRAME_SIZE = 1024;

  private Hello clientHello;
  private boolean firstFrameSent;
  private boolean helloWritten;
  private final Map<Integer, Long> clientGrants = new HashMap<>();
  private final Map<Integer, Long> clientData = new HashMap<>();
  private final Map<Integer, Long> serverData = new HashMap<>();
  private final Map<Integer, Long> serverGrants = new HashMap<>();
  private final Set<Integer> endedByServer = new HashSet<>();
  private final List<Frame> written = new ArrayList<>();

  /** The client sends {@code frame}: its settings, grants and DATA bytes count from now on. */
  void clientSent(Frame frame) {
    if (!firstFrameSent && frame.type() == FrameType.HELLO) {
      try {
        clientHello = Hello.parseFrom(frame.payload().duplicate());
      } catch (InvalidProtocolBufferException e) {
        clientHello = null;  // The session refuses it: nothing will be sent.
      }
    }
    firstFrameSent = true;
    if (frame.type() == FrameType.WINDOW_UPDATE) {
      int increment = ControlFrames.windowIncrement(frame);
      if (increment > 0) {
        clientGrants.merge(frame.streamId(), (long) increment, Long::sum);
      }
    } else if (frame.type() == FrameType.DATA) {
      clientData.merge(frame.streamId(), (long) frame.payloadLength(), Long::sum);
      clientData.merge(0, (long) frame.payloadLength(), Long::sum);
    }
  }

  /** Checks the frames the session wrote since the last call. */
  void serverWrote(List<Frame> frames) {
    for (Frame frame : frames) {
      written.add(frame);
      check(frame);
    }
  }

  /** Every frame the session wrote, oldest first. */
  List<Frame> written() {
    return written;
  }

  private void check(Frame frame) {
    if (frame.type() == FrameType.HELLO) {
      assertFalse(helloWritten, () -> "a second HELLO: " + written);
      assertTrue(clientHello != null, () -> "HELLO before the client's: " + written);
      helloWritten = true;
    } else {
      assertTrue(helloWritten || frame.type() == FrameType.GO_AWAY,
          () -> "HELLO must come first, or a GO_AWAY in its place: " + written);
    }
    assertDecodable(frame);
    int stream = frame.streamId();
    if (stream != 0 && frame.type() != FrameType.WINDOW_UPDATE) {
      assertFalse(endedByServer.contains(stream),
          () -> frame + " after the server ended stream " + stream + ": " + written);
    }
    switch (frame.type()) {
      case RESET:
        parse(() -> ControlFrames.parseReset(frame));
        endedByServer.add(stream);
        break;
      case TRAILERS:
        endedByServer.add(stream);
        break;
      case GO_AWAY:
        parse(() -> ControlFrames.parseGoAway(frame));
        break;
      case DATA:
        countData(frame);
        break;
      case WINDOW_UPDATE:
        countGrant(frame);
        break;
      default:
        break;
    }
  }

  /**
   * The client's decoder takes the frame: its header passes every check a header allows (the
   * decoder makes them all before it reads the payload, so the payload is not copied here).
   */
  private void assertDecodable(Frame frame) {
    ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_LENGTH);
    FrameCodec.writeHeader(frame, header);
    try {
      new FrameDecoder(clientMaxFrameSize(), false).decode(header.flip(), decoded -> { });
    } catch (ProtocolException e) {
      fail("the client's decoder refuses " + frame + ": " + e.getMessage());
    }
  }

  private void countData(Frame frame) {
    int stream = frame.streamId();
    long streamSent = serverData.merge(stream, (long) frame.payloadLength(), Long::sum);
    long connectionSent = serverData.merge(0, (long) frame.payloadLength(), Long::sum);
    assertTrue(clientHello != null, () -> "DATA before the client's HELLO: " + written);
    long streamWindow = window(clientHello.getInitialStreamWindow(),
        ProtocolSettings.DEFAULT_STREAM_WINDOW) + clientGrants.getOrDefault(stream, 0L);
    long connectionWindow = window(clientHello.getInitialConnectionWindow(),
        ProtocolSettings.DEFAULT_CONNECTION_WINDOW) + clientGrants.getOrDefault(0, 0L);
    assertTrue(streamSent <= streamWindow,
        () -> streamSent + " DATA bytes on stream " + stream + ", beyond its window of at most "
            + streamWindow);
    assertTrue(connectionSent <= connectionWindow,
        () -> connectionSent + " DATA bytes in all, beyond the connection window of at most "
            + connectionWindow);
  }

  private void countGrant(Frame frame) {
    int stream = frame.streamId();
    int increment = ControlFrames.windowIncrement(frame);
    assertTrue(increment > 0, frame::toString);
    long granted = serverGrants.merge(stream, (long) increment, Long::sum);
    long received = clientData.getOrDefault(stream, 0L);
    assertTrue(granted <= received, () -> "granted " + granted + " bytes back on stream " + stream
        + " (0: the connection), of which the client sent only " + received);
  }

  /**
   * What the client's HELLO advertised, within the protocol's range: a size out of range ends
   * the connection with a GO_AWAY, which stays within the smallest size a peer may advertise.
   */
  private int clientMaxFrameSize() {
    int advertised = clientHello == null ? 0 : clientHello.getMaxFrameSize();
    if (advertised == 0) {
      return ProtocolSettings.DEFAULT_MAX_FRAME_SIZE;
    }
    return (int) Math.max(MIN_MAX_FRAME_SIZE,
        Math.min(Integer.toUnsignedLong(advertised), FrameCodec.MAX_FRAME_SIZE_LIMIT));
  }

  private static long window(int advertised, int defaultWindow) {
    return advertised == 0 ? defaultWindow : advertised;
  }

  private interface Parse {
    void run() throws ProtocolException;
  }

  private static void parse(Parse parse) {
    try {
      parse.run();
    } catch (ProtocolException e) {
      fail("the client cannot parse what the server wrote: " + e.getMessage());
    }
  }
}
