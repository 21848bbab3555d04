package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.plumb.proto.wire.GoAway;
import dev.plumb.proto.wire.Hello;
import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;
import io.grpc.internal.ObjectPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The refusal of a connection past a limit, on {@link FakeLink}s and a {@link ManualClock}: what
 * is written, and exactly when the link is closed.
 */
@Timeout(10)
class ConnectionRefuserTest {
  private static final long LINGER_MILLIS = 10_000;
  private static final Status FULL = Status.RESOURCE_EXHAUSTED.withDescription("full");

  private final ManualClock clock = new ManualClock();
  private int timersHeld;
  private final ConnectionRefuser refuser = new ConnectionRefuser(new ObjectPool<>() {
    @Override
    public ScheduledExecutorService getObject() {
      timersHeld++;
      return clock;
    }

    @Override
    public ScheduledExecutorService returnObject(Object object) {
      timersHeld--;
      return null;
    }
  }, TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS), 16 * 1024);

  private static Frame hello() {
    return Frame.of(FrameType.HELLO, 0, 0, Hello.newBuilder().setAgent("peer").build()
        .toByteArray());
  }

  private FakeLink refused() {
    FakeLink link = new FakeLink();
    refuser.refuse(link, FULL);
    return link;
  }

  @Test
  void theGoAwayTakesHellosPlaceAndTheLinkClosesOnceThePeerHasSpoken() throws Exception {
    FakeLink link = refused();

    assertEquals(1, link.starts);
    assertEquals(1, link.written.size());
    Frame goAway = link.written.get(0);
    assertEquals(FrameType.GO_AWAY, goAway.type());
    GoAway parsed = ControlFrames.parseGoAway(goAway);
    assertEquals(0, parsed.getLastStreamId());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), parsed.getStatusCode());
    assertEquals("full", parsed.getMessage());
    assertNull(link.closedWith, "closed before the peer had its say: it could miss the reason");

    link.handler.onFrame(hello());
    assertSame(FULL, link.closedWith);
    link.handler.onFrame(hello());  // Whatever still comes is dropped.
    link.die();
    assertEquals(0, clock.pending(), "the linger limit is cancelled once the link is gone");
    assertEquals(0, timersHeld);
  }

  @Test
  void aSilentPeerIsClosedAtTheLingerLimit() {
    FakeLink link = refused();

    clock.forward(LINGER_MILLIS - 1, TimeUnit.MILLISECONDS);
    assertNull(link.closedWith);
    clock.forward(1, TimeUnit.MILLISECONDS);
    assertSame(FULL, link.closedWith);
    link.die();
    assertEquals(0, timersHeld);
  }

  @Test
  void aPeerThatSpeaksNoPlumbIsClosedAtOnce() {
    FakeLink link = refused();
    link.handler.onProtocolError(ProtocolException.malformed("not a Plumb endpoint"));
    assertSame(FULL, link.closedWith);
  }

  @Test
  void pastTheLingeringLimitALinkClosesRightAfterItsGoAway() {
    List<FakeLink> lingering = new ArrayList<>();
    for (int i = 0; i < ConnectionRefuser.MAX_LINGERING; i++) {
      lingering.add(refused());
    }
    lingering.forEach(link -> assertNull(link.closedWith));

    FakeLink rushed = refused();
    assertEquals(FrameType.GO_AWAY, rushed.written.get(0).type());
    assertSame(FULL, rushed.closedWith);
    rushed.die();

    FakeLink first = lingering.get(0);
    first.handler.onFrame(hello());
    first.die();
    assertNull(refused().closedWith, "a link that ended gave its lingering place back");
  }
}
