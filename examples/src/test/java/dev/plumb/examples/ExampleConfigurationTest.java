package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.config.PlumbConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples' addresses come from PlumbConfiguration, the first argument first. */
@Timeout(10)
class ExampleConfigurationTest {
  private static PlumbConfiguration.Loader loader(Map<String, String> properties,
      Map<String, String> environment) {
    Properties system = new Properties();
    system.putAll(properties);
    return PlumbConfiguration.newLoader().systemProperties(system).environment(environment)
        .classLoader(new ClassLoader(null) { });
  }

  private static List<String> listen(String[] args, Map<String, String> properties,
      Map<String, String> environment) {
    return ExampleConfiguration.server(args, loader(properties, environment)).listenAddresses();
  }

  @Test
  void theArgumentComesFirst() {
    assertEquals(List.of("tcp://127.0.0.1:1"), listen(new String[] {"tcp://127.0.0.1:1"},
        Map.of("plumb.listen", "tcp://127.0.0.1:2"), Map.of("PLUMB_LISTEN", "tcp://127.0.0.1:3")));
  }

  @Test
  void thenTheSystemPropertyThenTheEnvironment() {
    assertEquals(List.of("tcp://127.0.0.1:2"), listen(new String[] {" "},
        Map.of("plumb.listen", "tcp://127.0.0.1:2"), Map.of("PLUMB_LISTEN", "tcp://127.0.0.1:3")));
    assertEquals(List.of("tcp://127.0.0.1:3"),
        listen(new String[0], Map.of(), Map.of("PLUMB_LISTEN", "tcp://127.0.0.1:3")));
  }

  @Test
  void elseServersListenOnAFreeLoopbackPortAndClientsCallTheUsualOne() {
    assertEquals(List.of(ExampleConfiguration.DEFAULT_LISTEN),
        listen(new String[0], Map.of(), Map.of()));
    assertEquals(ExampleConfiguration.DEFAULT_TARGET,
        ExampleConfiguration.client(new String[0], loader(Map.of(), Map.of())).target()
            .orElseThrow());
  }

  @Test
  void aMistypedKeyIsAnErrorNotADefault() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> listen(new String[0], Map.of("plumb.lisen", "tcp://127.0.0.1:2"), Map.of()));
    assertTrue(e.getMessage().contains("plumb.lisen"), e.getMessage());
  }
}
