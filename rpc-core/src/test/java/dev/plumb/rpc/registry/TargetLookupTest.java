package dev.plumb.rpc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TargetLookupTest {
  private final TransportRegistry registry = HostPortTransport.registry();

  /** Answers from a table, like a hosts file; an IP address is its own answer. */
  private static HostLookup table(Map<String, List<String>> names) {
    return host -> {
      List<String> ips = names.get(host);
      if (ips == null) {
        if (Character.isDigit(host.charAt(0)) || host.startsWith("[")) {
          return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host + ": not in the table");
      }
      List<InetAddress> addresses = new java.util.ArrayList<>();
      for (String ip : ips) {
        addresses.add(InetAddress.getByName(ip));
      }
      return addresses;
    };
  }

  private StatusOr<List<EquivalentAddressGroup>> lookUp(String target, HostLookup hosts,
      boolean overridden) {
    return new TargetLookup(registry.parseTarget(target), hosts, registry, overridden).run();
  }

  private static List<String> addresses(StatusOr<List<EquivalentAddressGroup>> result) {
    return result.getValue().stream().map(group -> group.getAddresses().get(0).toString())
        .toList();
  }

  @Test
  void everyAddressOfANameIsAnAddressOfItsOwnWithTheEndpointsOptions() {
    HostLookup hosts = table(Map.of("replicas", List.of("127.0.0.1", "127.0.0.2", "::1")));
    StatusOr<List<EquivalentAddressGroup>> result =
        lookUp("hp://replicas:7000?mode=x", hosts, false);
    assertEquals(List.of("hp://127.0.0.1:7000?mode=x", "hp://127.0.0.2:7000?mode=x",
        "hp://[0:0:0:0:0:0:0:1]:7000?mode=x"), addresses(result));
    // One name: the channel's authority (replicas:7000) is every connection's.
    for (EquivalentAddressGroup group : result.getValue()) {
      assertNull(group.getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE));
    }
  }

  @Test
  void eachEndpointOfAListKeepsItsOwnAuthorityUnlessTheChannelOverridesIt() {
    HostLookup hosts = table(Map.of("a.example", List.of("127.0.0.1"),
        "b.example", List.of("127.0.0.2", "127.0.0.1")));
    StatusOr<List<EquivalentAddressGroup>> result =
        lookUp("hp://a.example:1,b.example:1", hosts, false);
    // 127.0.0.1:1 is listed once, under the endpoint that named it first.
    assertEquals(List.of("hp://127.0.0.1:1", "hp://127.0.0.2:1"), addresses(result));
    assertEquals(List.of("a.example:1", "b.example:1"), result.getValue().stream()
        .map(group -> group.getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE))
        .toList());
    lookUp("hp://a.example:1,b.example:1", hosts, true).getValue().forEach(group ->
        assertNull(group.getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE)));
  }

  @Test
  void aNameWithoutAddressesFailsUnavailableNamingTheHost() {
    StatusOr<List<EquivalentAddressGroup>> result =
        lookUp("hp://nowhere.invalid:7000", table(Map.of()), false);
    assertFalse(result.hasValue());
    assertEquals(Status.Code.UNAVAILABLE, result.getStatus().getCode());
    assertEquals("hp://nowhere.invalid:7000: no address for the host nowhere.invalid"
        + " (nowhere.invalid: not in the table)", result.getStatus().getDescription());
  }

  @Test
  void aListGoesOnWithTheEndpointsThatHaveAddresses() {
    StatusOr<List<EquivalentAddressGroup>> result = lookUp(
        "hp://nowhere.invalid:7000,127.0.0.3:7000", table(Map.of()), false);
    assertEquals(List.of("hp://127.0.0.3:7000"), addresses(result));
  }

  @Test
  void aTransportWithoutHostsGivesItsAddressesAsTheyAre() {
    assertEquals(List.of("mem:calc"), addresses(lookUp("mem:calc", null, false)));
  }
}
