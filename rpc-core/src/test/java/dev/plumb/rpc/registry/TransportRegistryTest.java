package dev.plumb.rpc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.memory.MemoryTransport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TransportRegistryTest {
  @Test
  void unknownSchemeFailsAtBuildTimeNamingTheServedSchemes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("carrier-pigeon://roof"));
    assertTrue(e.getMessage().contains("'carrier-pigeon'"), e.getMessage());
    assertTrue(e.getMessage().contains("mem:"), e.getMessage());
  }

  @Test
  void targetWithoutSchemeFailsWithAnExample() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("localhost"));
    assertTrue(e.getMessage().contains("has no scheme"), e.getMessage());
  }

  @Test
  void malformedUriFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("no scheme and spaces"));
    assertTrue(e.getMessage().contains("is not a URI"), e.getMessage());
  }

  @Test
  void theTransportRejectsWhatItCannotUse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("mem://host/name"));
    assertTrue(e.getMessage().contains("expected mem:NAME"), e.getMessage());
  }

  @Test
  void twoTransportsMayNotClaimOneScheme() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new TransportRegistry(List.of(new MemoryTransport(), new MemoryTransport())));
    assertTrue(e.getMessage().contains("'mem'"), e.getMessage());
  }

  @Test
  void charactersAUriMayNotHoldAreQuoted() {
    assertEquals("mem:a%20b", TransportRegistry.getDefault().parse("mem:a b").toString());
  }

  @Test
  void parsingGivesTheCanonicalAddress() {
    assertEquals("mem:calc", TransportRegistry.getDefault().parse("MEM:calc").toString());
  }

  @Test
  void aTargetOfGrpcsDnsResolverNeedsATransportForIpAddresses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("dns:///replicas:7000"));
    assertTrue(e.getMessage().contains("'dns:///replicas:7000' is resolved by gRPC to IP"
        + " addresses, and no Plumb transport on the class path carries them"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("mem:x").ipTransport("mem"));
    assertTrue(e.getMessage().contains("the mem: transport cannot carry IP addresses"),
        e.getMessage());
  }

  @Test
  void aPlumbChannelTakesNoProxy() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> PlumbChannelBuilder.forTarget("mem:x").proxyDetector(address -> null));
    assertTrue(e.getMessage().contains("take no proxy"), e.getMessage());
  }
}
