package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An admitted connection gives its place back exactly once, however it ends. */
@Timeout(10)
class AdmittedConnectionTest {
  private final FakeLink link = new FakeLink();
  private int releases;
  private final AdmittedConnection admitted = new AdmittedConnection(link, () -> releases++);
  /** What the session heard, and how many releases had happened by then. */
  private final List<String> heard = new ArrayList<>();

  private final ConnectionHandler session = new ConnectionHandler() {
    @Override
    public int maxFrameSize() {
      return 1024;
    }

    @Override
    public void onSent(long bytes) {
      heard.add("sent " + bytes);
    }

    @Override
    public void onFrame(Frame frame) {
      heard.add("frame");
    }

    @Override
    public void onReadComplete() {
      heard.add("read complete");
    }

    @Override
    public void onProtocolError(ProtocolException error) {
      heard.add("protocol error");
    }

    @Override
    public void onClosed(Status status) {
      heard.add("closed after " + releases + " release(s)");
    }
  };

  @Test
  void theLinksDeathReleasesItsPlaceBeforeTheSessionHearsOfIt() {
    admitted.start(session);
    link.handler.onFrame(Frame.of(dev.plumb.rpc.frame.FrameType.PING, 0, 0, new byte[8]));
    link.handler.onReadComplete();
    link.handler.onSent(17);
    assertEquals(0, releases);

    link.die();
    assertEquals(List.of("frame", "read complete", "sent 17", "closed after 1 release(s)"),
        heard);
  }

  @Test
  void aLinkReportingItsDeathTwiceIsReleasedOnce() {
    admitted.start(session);
    link.die();
    link.die();
    assertEquals(1, releases);
  }

  @Test
  void aLinkClosedBeforeItStartedIsReleasedThenAndNotAgain() {
    admitted.close(Status.UNAVAILABLE.withDescription("shut down while connecting"));
    assertEquals(1, releases);

    admitted.start(session);
    link.die();
    assertEquals(1, releases);
  }

  @Test
  void aClosedStartedLinkIsReleasedWhenItReportsItsDeath() {
    admitted.start(session);
    admitted.close(Status.UNAVAILABLE);
    assertEquals(0, releases, "still sending what was queued");
    link.die();
    assertEquals(1, releases);
  }
}
