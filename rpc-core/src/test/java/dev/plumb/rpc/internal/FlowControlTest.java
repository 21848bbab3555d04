package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.attach.Attachment;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;
import io.grpc.internal.ReadableBuffer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowControlTest {
  private static final int STREAM_WINDOW = 1000;
  private static final int CONNECTION_WINDOW = 3000;

  private final List<Frame> written = new ArrayList<>();
  private final LinkBacklog backlog = new LinkBacklog();
  private final FlowControl flow = newFlowControl();

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
    assertTrue(stream.parked);
    stream.closed = true;
    flow.release(stream);
    flow.connectionWindowUpdate(100);
    assertTrue(written.isEmpty(), "a released stream sent " + describe(written));
  }

  @Test
  void dataWaitsWhileTheLinkHasNotTakenAHighWaterMarkAndResumesInOrderAtTheLowOne()
      throws Exception {
    // A peer that grants the largest windows and reads nothing: the link takes nothing.
    flow.peerConnectionWindow(Integer.MAX_VALUE);
    int frame = 400 * 1024;
    Stream first = open(1, Integer.MAX_VALUE);
    Stream second = open(3, Integer.MAX_VALUE);
    for (int i = 0; i < 3; i++) {
      first.outbound.add(data(frame));
    }
    second.outbound.add(data(10));
    second.outbound.add(Frame.of(FrameType.TRAILERS, 0, 0, new byte[4]));
    flow.drain(first);
    flow.drain(second);
    // 3 × 400 KiB cross the 1 MiB mark with the third frame; nothing more goes to the link.
    assertEquals(List.of("DATA 1 409600", "DATA 1 409600", "DATA 1 409600"),
        describe(written));
    assertTrue(second.parked, "the second stream waits for the link");
    assertEquals(3 * frame, first.sent, "gRPC hears only of DATA the connection was given");
    assertEquals(0, second.sent);

    long unsent = backlog.unsent();
    assertFalse(backlog.taken(unsent - LinkBacklog.LOW_WATER - 1),
        "resumed above the low-water mark");
    assertTrue(backlog.taken(1), "at the low-water mark the waiting streams are resumed");
    flow.resumeParked();
    assertEquals(List.of("DATA 3 10", "TRAILERS 3 4"), describe(written.subList(3, 5)));
    assertFalse(second.parked);
  }

  @Test
  void aStreamThatFilledTheBacklogWithoutMeetingTheGateStillGetsTheOthersResumed()
      throws Exception {
    flow.peerConnectionWindow(Integer.MAX_VALUE);
    Stream filler = open(1, Integer.MAX_VALUE);
    Stream waiting = open(3, Integer.MAX_VALUE);
    filler.outbound.add(data((int) LinkBacklog.HIGH_WATER));
    flow.drain(filler);
    waiting.outbound.add(data(1));
    flow.drain(waiting);
    assertTrue(waiting.parked);
    // The link takes everything: the waiting stream's wake-up must not be lost.
    assertTrue(backlog.taken(backlog.unsent()));
    flow.resumeParked();
    assertEquals(List.of("DATA 1 " + LinkBacklog.HIGH_WATER, "DATA 3 1"), describe(written));
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

    FlowControl fresh = newFlowControl();
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

  // ---- inline attachments --------------------------------------------------------------------

  @Test
  void inlineAttachmentBytesLeaveInChunksWithinTheWindowsAndBeforeTheirMessage()
      throws Exception {
    flow.peerConnectionWindow(10_000);
    Stream stream = open(1, 700);
    try (Attachment attachment = attachment(1000)) {
      stream.inlineOut.add(new OutboundInline(attachment, 300));
      stream.outbound.add(OutboundInline.placeholder());
      stream.outbound.add(data(50));
      flow.drain(stream);
      assertEquals(List.of("ATTACH_DATA 1 300", "ATTACH_DATA 1 300", "ATTACH_DATA 1 100"),
          describe(written));
      assertEquals(0, stream.sent, "gRPC never counted attachment bytes");
      flow.streamWindowUpdate(stream, 1000);
      assertEquals(List.of("ATTACH_DATA 1 300", "ATTACH_DATA 1 300", "ATTACH_DATA 1 100",
          "ATTACH_DATA 1 300", "DATA 1 50"), describe(written));
      byte[] sentBytes = new byte[1000];
      ByteBuffer at = ByteBuffer.wrap(sentBytes);
      written.stream().filter(frame -> frame.type() == FrameType.ATTACH_DATA)
          .forEach(frame -> at.put(frame.payload()));
      for (int i = 0; i < sentBytes.length; i++) {
        assertEquals((byte) i, sentBytes[i], "byte " + i);
      }
      assertTrue(stream.outbound.isEmpty());
      assertTrue(stream.inlineOut.isEmpty());
    }
  }

  @Test
  void aLargeInlineAttachmentDoesNotStarveAnotherStreamOfTheConnectionWindow()
      throws Exception {
    flow.peerConnectionWindow(500);
    Stream big = open(1, 100_000);
    Stream small = open(3, 100_000);
    try (Attachment attachment = attachment(2000)) {
      big.inlineOut.add(new OutboundInline(attachment, 400));
      big.outbound.add(OutboundInline.placeholder());
      small.outbound.add(data(80));
      flow.drain(big);
      flow.drain(small);
      assertEquals(List.of("ATTACH_DATA 1 400", "ATTACH_DATA 1 100"), describe(written));
      assertTrue(big.parked && small.parked);
      flow.connectionWindowUpdate(500);
      // The attachment resumes first (it stopped first), then the small stream gets its turn.
      assertEquals(List.of("ATTACH_DATA 1 400", "ATTACH_DATA 1 100", "ATTACH_DATA 1 400",
          "ATTACH_DATA 1 100"), describe(written));
      flow.connectionWindowUpdate(100);
      assertEquals("DATA 3 80", describe(written).get(4),
          "the waiting stream goes next, not the rest of the attachment");
    }
  }

  @Test
  void anUnreadableAttachmentEndsItsStream() throws Exception {
    flow.peerConnectionWindow(10_000);
    Stream stream = open(1, 10_000);
    Attachment attachment = attachment(100);
    attachment.close();
    stream.inlineOut.add(new OutboundInline(attachment, 300));
    stream.outbound.add(OutboundInline.placeholder());
    stream.outbound.add(data(10));
    flow.drain(stream);
    assertTrue(written.isEmpty(), "sent " + describe(written));
    assertEquals(1, stream.failures.size());
    assertEquals(Status.Code.INTERNAL, stream.failures.get(0).getCode());
    assertTrue(stream.outbound.isEmpty());
  }

  /** An attachment of {@code length} bytes 0, 1, 2, ... in a temporary file. */
  private static Attachment attachment(int length) throws IOException {
    Path file = Files.createTempFile("attachment", ".bin");
    try {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) i;
      }
      Files.write(file, bytes);
      return new Attachment(new byte[Attachment.TOKEN_LENGTH], length,
          new RandomAccessFile(file.toFile(), "r"), () -> {
            throw new IOException("inline only");
          });
    } finally {
      // The open file keeps its bytes.
      Files.delete(file);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Flow control whose frames go to {@link #written}, counted in {@link #backlog} as a session does. */
  private FlowControl newFlowControl() {
    return new FlowControl(STREAM_WINDOW, CONNECTION_WINDOW, backlog, frame -> {
      backlog.written(frame);
      written.add(frame);
    }, (frame, descriptors) -> {
      throw new AssertionError("no ATTACH with descriptors here: " + frame);
    });
  }

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
    final List<Status> failures = new ArrayList<>();

    @Override
    void onDataSent(int bytes) {
      sent += bytes;
    }

    @Override
    void onControlFrameSent(Frame frame) {
      controlFramesSent.add(frame.type());
    }

    @Override
    void onDataReceived(ReadableBuffer data, boolean endOfStream) {}

    @Override
    void onAttachmentsFailed(Status status) {
      failures.add(status);
    }
  }
}
