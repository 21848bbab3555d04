package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlTest {
  private static final int STREAM_WINDOW = 1000;
  private static final int CONNECTION_WINDOW = 3000;

  private final List<Frame> written = new ArrayList<>();
  private final FlowControl flow =
      new FlowControl(STREAM_WINDOW, CONNECTION_WINDOW, written::add);

  // ---- sending -------------------------------------------------------------------------------

  @Test
  void dataLeavesWithinTheStreamWindowAndTheRestWaitsForAnUpdate() throws Exception {
    flow.peerConnectionWindow(10_000);
    Stream stream = open(1, 300);
    stream.outbound.add(data(500));
    flow.drain(stream);
    assertEquals(List.of("DATA 1 300"), describe(written));
    assertEquals(300, stream.sent);
    assertEquals(1, stream.outbound.size(), "the rest of the frame waits");

    flow.streamWindowUpdate(stream, 150);
    assertEquals(List.of("DATA 1 300", "DATA 1 150"), describe(written));
    flow.streamWindowUpdate(stream, 1000);
    assertEquals(List.of("DATA 1 300", "DATA 1 150", "DATA 1 50"), describe(written));
    assertEquals(500, stream.sent);
    assertTrue(stream.outbound.isEmpty());
  }

  @Test
  void controlFramesKeepTheirPlaceBehindBlockedData() throws Exception {
    flow.peerConnectionWindow(10_000);
    Stream stream = open(3, 100);
    stream.outbound.add(data(200));
    stream.outbound.add(Frame.of(FrameType.TRAILERS, 0, 0, new byte[4]));
    flow.drain(stream);
    assertEquals(List.of("DATA 3 100"), describe(written));
    flow.streamWindowUpdate(stream, 100);
    assertEquals(List.of("DATA 3 100", "DATA 3 100", "TRAILERS 3 4"), describe(written));
    assertEquals(List.of(FrameType.TRAILERS), stream.controlFramesSent);
  }

  @Test
  void streamsStoppedByTheConnectionWindowResumeInTheOrderTheyStopped() throws Exception {
    flow.peerConnectionWindow(100);
    Stream first = open(1, 1000);
    Stream second = open(3, 1000);
    first.outbound.add(data(150));
    second.outbound.add(data(80));
    flow.drain(first);
    flow.drain(second);
    assertEquals(List.of("DATA 1 100"), describe(written));

    flow.connectionWindowUpdate(60);
    assertEquals(List.of("DATA 1 100", "DATA 1 50", "DATA 3 10"), describe(written));
    flow.connectionWindowUpdate(1000);
    assertEquals(List.of("DATA 1 100", "DATA 1 50", "DATA 3 10", "DATA 3 70"),
        describe(written));
  }

  @Test
  void aReleasedStreamNoLongerWaitsForTheConnection() throws Exception {
    flow.peerConnectionWindow(0);
    Stream stream = open(1, 1000);
    stream.outbound.add(data(10));
    flow.drain(stream);
    assertTrue(stream.blockedOnConnection);
    stream.closed = true;
    flow.release(stream);
    flow.connectionWindowUpdate(100);
    assertTrue(written.isEmpty(), "a released stream sent " + describe(written));
  }

  @Test
  void windowUpdatesOfZeroOrBeyondTwoToThe31AreRejected() {
    flow.peerConnectionWindow(Integer.MAX_VALUE - 10);
    Stream stream = open(1, 10);
    assertEquals("WINDOW_UPDATE increment 0 is not between 1 and 2^31-1",
        assertThrows(ProtocolException.class, () -> flow.streamWindowUpdate(stream, 0))
            .getMessage());
    assertEquals("WINDOW_UPDATE increment 4294967295 is not between 1 and 2^31-1",
        assertThrows(ProtocolException.class, () -> flow.connectionWindowUpdate(-1))
            .getMessage());
    assertEquals("WINDOW_UPDATE grows the window of the connection beyond 2^31-1",
        assertThrows(ProtocolException.class, () -> flow.connectionWindowUpdate(11))
            .getMessage());
  }

  // ---- receiving -----------------------------------------------------------------------------

  @Test
  void consumedBytesAreGrantedBackInBatchesOfHalfAWindow() throws Exception {
    Stream stream = open(1, 0);
    flow.received(stream, 900);
    flow.consumed(stream, 400);
    assertTrue(written.isEmpty(), "granted before half a window was consumed");
    flow.consumed(stream, 100);
    assertEquals(List.of("WINDOW_UPDATE 1 +500"), grants(written));
    flow.consumed(stream, 400);
    flow.received(stream, 600);
    flow.consumed(stream, 600);
    // The connection's half (1500) is reached only now, in one update.
    assertEquals(List.of("WINDOW_UPDATE 1 +500", "WINDOW_UPDATE 1 +1000",
        "WINDOW_UPDATE 0 +1500"), grants(written));
  }

  @Test
  void aPeerSendingBeyondAWindowIsAProtocolError() throws Exception {
    Stream stream = open(1, 0);
    flow.received(stream, STREAM_WINDOW);
    assertEquals("peer sent 1 DATA bytes beyond the window of stream 1",
        assertThrows(ProtocolException.class, () -> flow.received(stream, 1)).getMessage());

    FlowControl fresh = new FlowControl(STREAM_WINDOW, CONNECTION_WINDOW, written::add);
    for (int id = 1; id <= 5; id += 2) {
      fresh.received(open(fresh, id, 0), STREAM_WINDOW);
    }
    assertEquals("peer sent 1 DATA bytes beyond the connection window",
        assertThrows(ProtocolException.class, () -> fresh.received(open(fresh, 7, 0), 1))
            .getMessage());
  }

  @Test
  void bytesOfAClosedStreamGoBackToTheConnection() throws Exception {
    Stream stream = open(1, 0);
    flow.received(stream, 900);
    flow.received(null, 900);
    flow.received(open(3, 0), 200);
    assertTrue(written.isEmpty());
    stream.closed = true;
    flow.release(stream);
    assertEquals(List.of("WINDOW_UPDATE 0 +1800"), grants(written));
    flow.consumed(stream, 900);
    assertEquals(1, written.size(), "a released stream's late consumption counted twice");
  }

  @Test
  void nothingIsGrantedOnceStopped() throws Exception {
    Stream stream = open(1, 0);
    flow.received(stream, 900);
    flow.stop();
    flow.consumed(stream, 900);
    stream.closed = true;
    flow.release(stream);
    assertTrue(written.isEmpty(), "granted after the connection died: " + grants(written));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Stream open(int id, int peerWindow) {
    return open(flow, id, peerWindow);
  }

  private static Stream open(FlowControl control, int id, int peerWindow) {
    Stream stream = new Stream();
    stream.id = id;
    stream.started = true;
    control.open(stream, peerWindow);
    return stream;
  }

  private static Frame data(int length) {
    return Frame.of(FrameType.DATA, 0, 0, new byte[length]);
  }

  private static List<String> describe(List<Frame> frames) {
    List<String> described = new ArrayList<>();
    for (Frame frame : frames) {
      described.add(frame.type() + " " + frame.streamId() + " " + frame.payloadLength());
    }
    return described;
  }

  private static List<String> grants(List<Frame> frames) {
    List<String> described = new ArrayList<>();
    for (Frame frame : frames) {
      described.add(frame.type() + " " + frame.streamId() + " +"
          + ControlFrames.windowIncrement(frame));
    }
    return described;
  }

  /** A stream that counts what flow control let it send. */
  private static final class Stream extends StreamRecord {
    int sent;
    final List<FrameType> controlFramesSent = new ArrayList<>();

    @Override
    void onDataSent(int bytes) {
      sent += bytes;
    }

    @Override
    void onControlFrameSent(Frame frame) {
      controlFramesSent.add(frame.type());
    }
  }
}
