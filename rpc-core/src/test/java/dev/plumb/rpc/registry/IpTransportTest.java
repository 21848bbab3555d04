package dev.plumb.rpc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class IpTransportTest {
  private final TransportRegistry registry = HostPortTransport.registry();

  private String error(String form) {
    return assertThrows(IllegalArgumentException.class, () -> IpTransport.of(registry, form))
        .getMessage();
  }

  @Test
  void anIpAddressBecomesAnAddressOfTheTransportWithItsOptions() throws Exception {
    IpTransport transport = IpTransport.of(registry, "HP?mode=x");
    assertEquals("hp", transport.scheme());
    assertEquals("hp://10.1.2.3:7000?mode=x", transport.addressOf(
        new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 7000)).toString());
    assertEquals("hp://[0:0:0:0:0:0:0:1]:7000?mode=x", transport.addressOf(
        new InetSocketAddress(InetAddress.getByName("::1"), 7000)).toString());
    assertEquals("hp://replicas:7000?mode=x", transport.addressOf(
        InetSocketAddress.createUnresolved("replicas", 7000)).toString());
  }

  @Test
  void theOneTransportOfHostPortAddressesIsTheDefault() {
    assertEquals("hp", IpTransport.byDefault(registry).orElseThrow().toString());
    assertTrue(IpTransport.byDefault(new TransportRegistry(
        List.of(new dev.plumb.rpc.memory.MemoryTransport()))).isEmpty());
  }

  @Test
  void whatCannotCarryIpAddressesIsRefusedByName() {
    assertTrue(error("tcp").contains("no Plumb transport for the scheme 'tcp'"), error("tcp"));
    assertTrue(error("mem").contains("the mem: transport cannot carry IP addresses"),
        error("mem"));
    assertTrue(error("hp?colour=red").contains("unknown option 'colour'"),
        error("hp?colour=red"));
    assertTrue(error("hp://host:1").contains("expected a scheme, optionally with its options"),
        error("hp://host:1"));
  }
}
