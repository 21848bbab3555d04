package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.internal.ServerStream;
import io.grpc.internal.ServerTransportListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's keep-alive, idle limit and age limit on {@link SessionHarness}: time moves only
 * when a test moves it, so each PING, GO_AWAY and close is checked at its exact instant.
 */
class ServerConnectionLimitsTest {
  private static final ProtocolSettings KEEP_ALIVE = ProtocolSettings.DEFAULTS
      .withServerKeepAliveTime(10, TimeUnit.SECONDS)
      .withServerKeepAliveTimeout(2, TimeUnit.SECONDS);

  private final HoldingServer calls = new HoldingServer();
  private SessionHarness server;

  @Test
  void aQuietClientIsPingedAndItsConnectionClosedWhenNoAnswerComes() throws Exception {
    start(KEEP_ALIVE);
    server.receive(requestHeaders(1));

    forward(9_999);
    assertEquals(List.of(), server.sent(), "a PING before the keep-alive time");
    forward(1);
    Frame ping = server.nextSent();
    assertEquals(FrameType.PING, ping.type());
    assertFalse(ping.hasFlag(Frame.FLAG_ACK));
    assertEquals(ServerKeepAlive.PAYLOAD, ControlFrames.pingPayload(ping));

    forward(1_999);
    assertNull(server.closedWith(), "closed before the keep-alive timeout");
    forward(1);
    assertClosedWithItsCallUnavailable();
  }

  @Test
  void anAnsweredPingKeepsTheConnectionAndTheNextComesAKeepAliveTimeLater() {
    start(KEEP_ALIVE);
    forward(10_000);
    Frame ping = server.nextSent();
    server.receive(Frame.of(FrameType.PING, Frame.FLAG_ACK, 0, ping.payload()));

    forward(9_999);
    assertNull(server.closedWith());
    assertEquals(List.of(), server.sent());
    forward(1);
    assertEquals(FrameType.PING, server.nextSent().type());
  }

  @Test
  void anyFrameFromTheClientPutsThePingOff() {
    start(KEEP_ALIVE);
    forward(5_000);
    server.receive(ControlFrames.ping(0, 7));
    assertEquals(FrameType.PING, server.nextSent().type(), "the ack of the client's PING");
    forward(5_000);
    assertEquals(List.of(), server.sent(), "a PING 10 s after the start though the client spoke");
    forward(5_000);
    assertEquals(FrameType.PING, server.nextSent().type());
  }

  @Test
  void withoutKeepAliveTimeTheServerNeverPings() {
    start(ProtocolSettings.DEFAULTS);
    forward(TimeUnit.DAYS.toMillis(1));
    assertEquals(List.of(), server.sent());
    assertNull(server.closedWith());
  }

  @Test
  void aConnectionIdleForMaxConnectionIdleGetsAGracefulGoAway() throws Exception {
    start(lifetime(ConnectionLifetime.UNLIMITED.withMaxIdle(5, TimeUnit.SECONDS)));
    server.receive(requestHeaders(1));
    forward(20_000);
    assertNull(server.closedWith(), "a connection with an open call is not idle");
    calls.finish(0);
    server.sent();

    forward(4_999);
    assertNull(server.closedWith());
    forward(1);
    assertEquals(Status.Code.OK, goAwayStatus(server.nextSent()).getCode());
    assertNotNull(server.closedWith(), "an idle connection must close with its GO_AWAY");
  }

  @Test
  void atMaxConnectionAgeCallsInFlightMayFinishWithinTheGrace() throws Exception {
    start(lifetime(ConnectionLifetime.UNLIMITED.withMaxAge(10, TimeUnit.SECONDS)
        .withMaxAgeGrace(5, TimeUnit.SECONDS)));
    server.receive(requestHeaders(1));

    forward(8_999);
    assertEquals(List.of(), server.sent(), "a GO_AWAY before 90% of the maximum age");
    forward(2_001);
    assertEquals(Status.Code.OK, goAwayStatus(server.nextSent()).getCode());
    assertNull(server.closedWith(), "closed with a call in flight, before the grace");

    calls.finish(0);
    assertEquals(FrameType.HEADERS, server.nextSent().type());
    assertEquals(FrameType.TRAILERS, server.nextSent().type());
    assertNotNull(server.closedWith(), "still open after its last call ended");
    server.settle();
    assertEquals(List.of("closed OK"), calls.events);
  }

  @Test
  void callsStillOpenAfterTheGraceEndUnavailable() throws Exception {
    start(lifetime(ConnectionLifetime.UNLIMITED.withMaxAge(10, TimeUnit.SECONDS)
        .withMaxAgeGrace(5, TimeUnit.SECONDS)));
    server.receive(requestHeaders(1));
    forward(11_000);
    assertEquals(FrameType.GO_AWAY, server.nextSent().type());

    forward(2_999);
    assertNull(server.closedWith(), "closed before the earliest end of the grace (9 s + 5 s)");
    forward(2_001);
    assertClosedWithItsCallUnavailable();
  }

  /** The connection was closed at once: GO_AWAY, its call 1 reset and ended UNAVAILABLE. */
  private void assertClosedWithItsCallUnavailable() throws ProtocolException {
    assertEquals(Status.Code.UNAVAILABLE, server.closedWith().getCode());
    assertEquals(Status.Code.UNAVAILABLE, goAwayStatus(server.nextSent()).getCode());
    assertEquals(Status.Code.UNAVAILABLE, resetStatus(server.nextSent(), 1).getCode());
    server.settle();
    assertEquals(List.of("closed UNAVAILABLE"), calls.events);
  }

  private void start(ProtocolSettings settings) {
    server = SessionHarness.server(settings, calls);
    server.receiveHello();
    server.sent();
  }

  private static ProtocolSettings lifetime(ConnectionLifetime lifetime) {
    return ProtocolSettings.DEFAULTS.withLifetime(lifetime);
  }

  private void forward(long millis) {
    server.clock.forward(millis, TimeUnit.MILLISECONDS);
  }

  private static Frame requestHeaders(int streamId) {
    return Frame.of(FrameType.HEADERS, 0, streamId,
        MetadataCodec.encode("harness.Hold/Call", "harness", new Metadata()));
  }

  private static Status resetStatus(Frame frame, int streamId) throws ProtocolException {
    assertEquals(FrameType.RESET, frame.type());
    assertEquals(streamId, frame.streamId());
    return ControlFrames.statusOf(ControlFrames.parseReset(frame), Status.Code.OK);
  }

  private static Status goAwayStatus(Frame frame) throws ProtocolException {
    assertEquals(FrameType.GO_AWAY, frame.type());
    return Status.fromCodeValue(ControlFrames.parseGoAway(frame).getStatusCode());
  }

  /**
   * Holds every call open until the test {@link #finish}es it; records how each ended, and
   * fails the test if a callback runs under the session lock.
   */
  private final class HoldingServer implements ServerTransportListener {
    final List<ServerStream> streams = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    void finish(int index) {
      ServerStream stream = streams.get(index);
      stream.writeHeaders(new Metadata(), true);
      stream.close(Status.OK, new Metadata());
    }

    @Override
    public void streamCreated(ServerStream stream, String method, Metadata headers) {
      streams.add(stream);
      stream.setListener(new ServerStreamListenerAdapter() {
        @Override
        public void closed(Status status) {
          assertFalse(server.sessionLockHeld(), "closed under the session lock");
          events.add("closed " + status.getCode());
        }
      });
    }

    @Override
    public Attributes transportReady(Attributes attributes) {
      return attributes;
    }

    @Override
    public void transportTerminated() {}
  }
}
