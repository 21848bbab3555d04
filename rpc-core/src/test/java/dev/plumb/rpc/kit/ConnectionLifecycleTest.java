package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start versus close, the first reason, and one onClosed. */
@Timeout(10)
class ConnectionLifecycleTest {
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private final RecordingHandler handler = new RecordingHandler(16 * 1024);

  @Test
  void aConnectionClosedBeforeStartReportsTheCloseAtStartAndStartsNothing() throws Exception {
    Status reason = Status.CANCELLED.withDescription("abandoned");
    assertTrue(lifecycle.close(reason), "the closer must free the unstarted link");
    assertFalse(lifecycle.start(handler));
    assertSame(reason, handler.awaitClosedForTest());
    assertTrue(lifecycle.isClosed());
  }

  @Test
  void theFirstReasonWinsAndTheHandlerHearsItOnce() throws Exception {
    assertTrue(lifecycle.start(handler));
    assertFalse(lifecycle.isEnding());
    Status lost = Status.UNAVAILABLE.withDescription("peer gone");
    lifecycle.end(lost);
    assertFalse(lifecycle.close(Status.CANCELLED), "a started connection frees its own link");
    assertTrue(lifecycle.isEnding());
    assertFalse(lifecycle.isClosed());

    lifecycle.notifyClosed(lifecycle.reasonOr(Status.INTERNAL));
    lifecycle.notifyClosed(Status.INTERNAL);

    assertSame(lost, handler.awaitClosedForTest());
    assertEquals(1, handler.closeCountForTest());
  }

  @Test
  void withoutAReasonTheFallbackIsTold() throws Exception {
    assertTrue(lifecycle.start(handler));
    Status fallback = Status.UNAVAILABLE.withDescription("closed");
    lifecycle.notifyClosed(lifecycle.reasonOr(fallback));
    assertSame(fallback, handler.awaitClosedForTest());
  }
}
