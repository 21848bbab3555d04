package dev.plumb.rpc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC's legacy {@code ManagedChannelBuilder.forTarget} asks the highest provider whatever the
 * target: Plumb's takes Plumb targets only, so that a {@code dns:} target reaches Plumb through
 * gRPC's registry only when the configuration says so.
 */
@Timeout(10)
class PlumbManagedChannelProviderTest {
  private final PlumbManagedChannelProvider provider = new PlumbManagedChannelProvider();

  @Test
  void aTargetOfGrpcsResolversIsNotPlumbs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> provider.builderForTarget("dns:///replicas:7000"));
    assertTrue(e.getMessage().contains("'dns:///replicas:7000' is not a Plumb target"),
        e.getMessage());
  }

  @Test
  void aPlumbTargetIsTakenAndABadOneExplained() {
    provider.builderForTarget("mem:calc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> provider.builderForTarget("localhost:7000"));
    assertTrue(e.getMessage().contains("looks like HOST:PORT"), e.getMessage());
  }
}
