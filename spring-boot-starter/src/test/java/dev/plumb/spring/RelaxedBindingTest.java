package dev.plumb.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.config.PlumbConfiguration;
import dev.plumb.spring.example.client.CalculatorClientApplication;
import dev.plumb.spring.example.server.CalculatorServerApplication;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The keys in the forms Spring's relaxed binding takes, and beside Plumb's own keys, which
 * share their prefix.
 */
@Timeout(60)
class RelaxedBindingTest {
  @TempDir
  Path dir;

  @Test
  void environmentVariables() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    try (ConfigurableApplicationContext app = SpringApps.startWithEnvironment(
        CalculatorServerApplication.class, Map.of(
            "PLUMB_SERVER_LISTEN", socket + ",tcp://127.0.0.1:0",
            "PLUMB_SERVER_SHUTDOWNGRACE", "2s",
            "PLUMB_CLIENT_SELF_TARGET", socket))) {
      assertEquals(2, SpringApps.targets(app).size());
      PlumbProperties properties = app.getBean(PlumbProperties.class);
      assertEquals(Duration.ofSeconds(2), properties.getServer().getShutdownGrace());
      // The application calls itself over the channel of client "self".
      assertEquals(5, SpringApps.add(app.getBean(PlumbChannels.class).get("self"), 2, 3));
    }
  }

  @Test
  void indexedListsAndKebabCase() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class,
        "plumb.server.listen[0]=tcp://127.0.0.1:0", "plumb.server.listen[1]=" + socket,
        "plumb.server.shutdown-grace=1500ms");
        ConfigurableApplicationContext client = SpringApps.start(
            CalculatorClientApplication.class,
            "plumb.client.calculator.target=" + socket,
            "plumb.client.calculator.direct-executor=true")) {
      assertEquals(socket, SpringApps.targets(server).get(1));
      assertEquals(1500,
          server.getBean(PlumbProperties.class).getServer().getShutdownGrace().toMillis());
      assertTrue(client.getBean(PlumbProperties.class).getClient().get("calculator")
          .isDirectExecutor());
      assertEquals(5, SpringApps.add(client.getBean(ManagedChannel.class), 2, 3));
    }
  }

  @Test
  void anAddressWhoseOptionsHoldCommasStaysWhole() throws Exception {
    // Spring splits a comma-separated value into list items; the starter joins them again for
    // Plumb's loader, which splits only where an address begins.
    String socket = "unix://" + dir.resolve("calc.sock");
    Object uid = Files.getAttribute(dir, "unix:uid");
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class,
        "plumb.server.listen=" + socket + "?allowUids=" + uid + ",65533,tcp://127.0.0.1:0")) {
      List<String> targets = SpringApps.targets(server);
      assertEquals(2, targets.size(), targets.toString());
      assertEquals(5, SpringApps.add(socket, 2, 3));
    }
  }

  @Test
  void theStartersKeysAsSystemPropertiesAreNotPlumbsUnknownKeys() throws Exception {
    // -Dplumb.server.listen=... as a Spring user passes it: Spring binds it, and Plumb's own
    // loader, which rejects plumb.* keys it does not know, never sees it.
    String socket = "unix://" + dir.resolve("calc.sock");
    String key = "plumb.server.listen";
    assertFalse(System.getProperties().containsKey(key));
    System.setProperty(key, socket);
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class)) {
      assertEquals(List.of(socket), SpringApps.targets(server));
      assertEquals(5, SpringApps.add(socket, 2, 3));
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void plumbsOwnKeysApplyToTheStartersServer() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    String key = "plumb.maxConnections";
    assertFalse(System.getProperties().containsKey(key));
    System.setProperty(key, "1");
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=" + socket)) {
      ManagedChannel first = PlumbChannelBuilder.forTarget(SpringApps.targets(server).get(0))
          .build();
      try {
        assertEquals(5, SpringApps.add(first, 2, 3));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> SpringApps.add(socket, 2, 3));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getMessage().contains("maxConnections=1"), e.getMessage());
      } finally {
        first.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void plumbsLoaderSeesItsOwnKeysButNotTheStarters() {
    Properties system = new Properties();
    system.setProperty("plumb.server.listen", "unix:///ignored.sock");
    system.setProperty("plumb.client.calculator.target", "unix:///ignored.sock");
    system.setProperty("plumb.client[other].target", "unix:///ignored.sock");
    system.setProperty("plumb.maxConnections", "7");
    PlumbConfiguration configuration = new PlumbSettings(system, Map.of(
        "PLUMB_SERVER_LISTEN", "unix:///ignored.sock",
        "PLUMB_CLIENT_CALCULATOR_TARGET", "unix:///ignored.sock",
        "PLUMB_KEEP_ALIVE_TIME", "1m"))
        .loader().load();
    assertEquals("plumb.keepAliveTime=1m (environment variable PLUMB_KEEP_ALIVE_TIME)\n"
        + "plumb.maxConnections=7 (system property plumb.maxConnections)\n",
        configuration.toString());
  }
}
