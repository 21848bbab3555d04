package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plumb.proto.wire.GoAway;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RefusalStatusTest {
  private static GoAway goAway(Status.Code code, String message) {
    return GoAway.newBuilder().setStatusCode(code.value()).setMessage(message).build();
  }

  @Test
  void aRefusalForWhoTheClientIsKeepsItsCode() {
    Status status = RefusalStatus.of(goAway(Status.Code.PERMISSION_DENIED, "uid 7 is not allowed"));
    assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
    assertEquals("the connection was refused: uid 7 is not allowed", status.getDescription());
    assertEquals(Status.Code.UNAUTHENTICATED,
        RefusalStatus.of(goAway(Status.Code.UNAUTHENTICATED, "who?")).getCode());
  }

  @Test
  void aServerThatCannotTakeTheConnectionNowIsUnavailableWithItsCodeKept() {
    Status status = RefusalStatus.of(goAway(Status.Code.RESOURCE_EXHAUSTED, "full"));
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertEquals("the connection was refused: RESOURCE_EXHAUSTED: full", status.getDescription());
    Status cause = Status.fromThrowable(status.getCause());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, cause.getCode());
    assertEquals("full", cause.getDescription());
  }

  @Test
  void anUnavailableOrOkRefusalIsUnavailableWithTheReasonAlone() {
    for (Status.Code code : new Status.Code[] {Status.Code.OK, Status.Code.UNAVAILABLE}) {
      Status status = RefusalStatus.of(goAway(code, "going"));
      assertEquals(Status.Code.UNAVAILABLE, status.getCode());
      assertEquals("the connection was refused: going", status.getDescription());
      assertNull(status.getCause());
    }
  }
}
