package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.rpc.PlumbServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectionLimitsTest {
  private static final long GIB = 1L << 30;

  @Test
  void theDefaultIsTheSmallestOfHalfTheDescriptorsTheHeapsShareAndTheCap() {
    assertEquals(512, ConnectionLimits.defaultMaxConnections(1024, 16 * GIB));
    assertEquals(1024, ConnectionLimits.defaultMaxConnections(1 << 20, GIB / 2));
    assertEquals(ConnectionLimits.DEFAULT_CAP,
        ConnectionLimits.defaultMaxConnections(1 << 20, 16 * GIB));
    assertEquals(1, ConnectionLimits.defaultMaxConnections(1, 16 * GIB));
    assertEquals(1, ConnectionLimits.defaultMaxConnections(1 << 20, 1024));
    assertEquals(ConnectionLimits.DEFAULT_WITHOUT_DESCRIPTOR_LIMIT,
        ConnectionLimits.defaultMaxConnections(-1, 16 * GIB));
  }

  @Test
  void thisJvmsDefaultsFollowItsLimitsAndLeavePeersUnlimited() {
    ConnectionLimits defaults = ConnectionLimits.defaults(attributes -> null);
    assertEquals(ConnectionLimits.defaultMaxConnections(ConnectionLimits.descriptorLimit(),
        Runtime.getRuntime().maxMemory()), defaults.maxConnections());
    assertEquals(ConnectionLimits.UNLIMITED, defaults.maxPerPeer());
  }

  @Test
  void aLimitBelowOneIsRejectedNamingTheOption() {
    IllegalArgumentException total = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("mem:limits").maxConnections(0));
    assertEquals("maxConnections must be at least 1; got 0", total.getMessage());
    IllegalArgumentException perPeer = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("mem:limits").maxConnectionsPerPeer(-1));
    assertEquals("maxConnectionsPerPeer must be at least 1; got -1", perPeer.getMessage());
  }
}
