package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three servers, each a JVM of its own on 127.0.0.1, 127.0.0.2 and 127.0.0.3, behind one
 * {@code tcp:} target that lists them: round_robin spreads calls evenly over the three, whether
 * the channel comes from {@code PlumbChannelBuilder} or from {@code Grpc.newChannelBuilder};
 * one killed with SIGKILL, the calls go on over the other two (retried on UNAVAILABLE, as
 * docs/TRANSPORTS.md advises, for the call that meets the dying server). The three server JVMs
 * serve every test (starting them is most of each test's time), so the test that kills one
 * runs last.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {
  private static ReplicaServers servers;
  private final Cleanup cleanup = new Cleanup();

  @BeforeAll
  static void startThreeServers() throws Exception {
    servers = ReplicaServers.start("tcp://127.0.0.1:0", "tcp://127.0.0.2:0",
        "tcp://127.0.0.3:0");
  }

  @AfterAll
  static void stopServers() {
    if (servers != null) {
      servers.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private String list(String separator) {
    return servers.hostPort(0) + separator + servers.hostPort(1) + separator
        + servers.hostPort(2);
  }

  /** Once every server is connected, round_robin gives each the same share of calls. */
  private void assertEvenSpread(ManagedChannel channel) throws Exception {
    Set<Long> pids = Set.of(servers.pid(0), servers.pid(1), servers.pid(2));
    ServerAnswers.awaitEachOf(pids, () -> ServerAnswers.serverPid(channel));
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      counts.merge(ServerAnswers.serverPid(channel), 1, Integer::sum);
    }
    assertEquals(Map.of(servers.pid(0), 10, servers.pid(1), 10, servers.pid(2), 10), counts);
  }

  @Test
  @Order(1)
  void plumbChannelBuilderSpreadsCallsOverTheListedServers() throws Exception {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("tcp://" + list(","))
        .defaultLoadBalancingPolicy("round_robin").build());
    assertEvenSpread(channel);
  }

  @Test
  @Order(2)
  void grpcNewChannelBuilderSpreadsCallsByServiceConfig() throws Exception {
    // The list in the path: the spelling that every grpc-java parses (RFC 3986 from 1.83).
    ManagedChannel channel = cleanup.add(Grpc.newChannelBuilder("tcp:///" + list(","),
        InsecureChannelCredentials.create()).defaultServiceConfig(RoundRobin.serviceConfig())
        .build());
    assertEvenSpread(channel);
  }

  @Test
  @Order(3)
  void callsGoOnOverTheOtherTwoWhenOneIsKilled() throws Exception {
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("tcp://" + list(","))
        .defaultServiceConfig(RoundRobin.serviceConfig()).build());
    ServerAnswers.awaitEachOf(Set.of(servers.pid(0), servers.pid(1), servers.pid(2)),
        () -> ServerAnswers.serverPid(channel));
    servers.get(1).kill();
    Set<Long> survivors = Set.of(servers.pid(0), servers.pid(2));
    // Every call succeeds, and both survivors take their share.
    ServerAnswers.awaitEachOf(survivors, () -> ServerAnswers.serverPid(channel));
    for (int i = 0; i < 20; i++) {
      long pid = ServerAnswers.serverPid(channel);
      assertTrue(survivors.contains(pid), "server " + pid + " answered after the kill");
    }
  }
}
