package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectionAdmissionTest {
  private static final ConnectionLimits LIMITS = ConnectionLimits.defaults(attributes -> null)
      .withMaxConnections(3).withMaxPerPeer(2);

  private final ConnectionAdmission admission = new ConnectionAdmission(LIMITS);

  @Test
  void theConnectionPastTheTotalIsRefusedUntilOneIsReleased() {
    assertNull(admission.admit("uid 1"));
    assertNull(admission.admit("uid 2"));
    assertNull(admission.admit(null));

    Status refused = admission.admit("uid 3");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
    assertEquals("the server is at its connection limit (maxConnections=3)",
        refused.getDescription());
    assertEquals(3, admission.open(), "a refusal takes no place");

    admission.release(null);
    assertNull(admission.admit("uid 3"));
  }

  @Test
  void aPeerPastItsOwnLimitIsRefusedWhileOthersAreAdmitted() {
    assertNull(admission.admit("uid 1"));
    assertNull(admission.admit("uid 1"));

    Status refused = admission.admit("uid 1");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
    assertEquals("uid 1 is at its connection limit on this server (maxConnectionsPerPeer=2)",
        refused.getDescription());
    assertNull(admission.admit("10.0.0.7"));

    admission.release("uid 1");
    assertNull(admission.admit("uid 1"), "the peer's released place is its own again");
  }

  @Test
  void aPeerNobodyCanNameCountsOnlyInTheTotal() {
    ConnectionAdmission perPeerOnly = new ConnectionAdmission(
        ConnectionLimits.defaults(attributes -> null).withMaxPerPeer(1));
    assertNull(perPeerOnly.admit(null));
    assertNull(perPeerOnly.admit(null));
    assertEquals(2, perPeerOnly.open());
  }

  @Test
  void releasingMoreThanWasAdmittedIsABug() {
    assertNull(admission.admit("uid 1"));
    admission.release("uid 1");
    assertThrows(IllegalStateException.class, () -> admission.release("uid 1"));
  }
}
