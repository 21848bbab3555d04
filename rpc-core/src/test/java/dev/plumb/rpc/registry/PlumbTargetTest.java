package dev.plumb.rpc.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.spi.PlumbAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Targets of several endpoints: the two spellings, the canonical form, and where they are refused. */
@Timeout(10)
class PlumbTargetTest {
  private final TransportRegistry registry = HostPortTransport.registry();

  private List<String> endpoints(String target) {
    return registry.parseTarget(target).endpoints().stream().map(PlumbAddress::toString).toList();
  }

  private String error(Runnable parse) {
    return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
  }

  @Test
  void aListInTheAuthorityOrInThePathNamesEachEndpointWithTheOptions() {
    List<String> expected = List.of("hp://10.0.0.1:7000?mode=x", "hp://b.example:7001?mode=x");
    assertEquals(expected, endpoints("hp://10.0.0.1:7000,b.example:7001?mode=x"));
    assertEquals(expected, endpoints("hp:///10.0.0.1:7000,b.example:7001?mode=x"));
    assertEquals(List.of("hp://a:1"), endpoints("hp:///a:1"));
    assertEquals(List.of("hp://a:1"), endpoints("hp://a:1"));
  }

  @Test
  void theCanonicalFormIsTheListInThePathWhichJavaAndRfc3986BothParse() throws Exception {
    PlumbTarget target = registry.parseTarget("hp://[::1]:7000,10.0.0.2:7000?mode=x");
    assertEquals(List.of("hp://[::1]:7000?mode=x", "hp://10.0.0.2:7000?mode=x"),
        target.endpoints().stream().map(PlumbAddress::toString).toList());
    String canonical = target.toString();
    assertEquals("hp:///%5B::1%5D:7000,10.0.0.2:7000?mode=x", canonical);
    new URI(canonical);
    assertEquals(target.endpoints(), registry.parseTarget(canonical).endpoints());
    assertEquals("hp://a:1", registry.parseTarget("hp:///a:1").toString());
  }

  @Test
  void theFirstEndpointGivesTheAuthority() {
    assertEquals("a:1", registry.parseTarget("hp://a:1,b:2").authority());
    assertEquals("localhost", registry.parseTarget("mem:x").authority());
  }

  @Test
  void anEmptyEndpointOrABadOneIsNamed() {
    assertTrue(error(() -> registry.parseTarget("hp://a:1,,b:2")).contains("empty endpoint"));
    String bad = error(() -> registry.parseTarget("hp://a:1,b"));
    assertTrue(bad.contains("'hp://b': expected hp://HOST:PORT"), bad);
  }

  @Test
  void aServerListensOnOneAddressSoAListIsRefusedThere() {
    String message = error(() -> registry.parse("hp://127.0.0.1:7000,127.0.0.2:7000"));
    assertTrue(message.startsWith("'hp://127.0.0.1:7000,127.0.0.2:7000' lists 2 endpoints,"
        + " where one address is taken"), message);
    assertTrue(message.contains("plumb.listen=hp://127.0.0.1:7000,hp://127.0.0.2:7000"),
        message);
    assertTrue(error(() -> registry.parse("hp:///a:1,b:1")).contains("lists 2 endpoints"));
    assertEquals("hp://a:1", registry.parse("hp:///a:1").toString());
  }

  @Test
  void onlyATransportOfHostPortAddressesTakesAList() {
    assertEquals(List.of("mem:a,b"), endpoints("mem:a,b"));
    String message = error(() -> registry.parseTarget("mem://a,b"));
    assertTrue(message.contains("expected mem:NAME"), message);
  }

  @Test
  void hostAndPortAloneIsTakenForWhatItIs() {
    String message = error(() -> registry.parseTarget("localhost:7000"));
    assertTrue(message.contains("'localhost:7000' looks like HOST:PORT, which is"
        + " tcp://localhost:7000"), message);
    message = error(() -> registry.parseTarget("127.0.0.1:7000"));
    assertTrue(message.contains("looks like HOST:PORT"), message);
  }
}
