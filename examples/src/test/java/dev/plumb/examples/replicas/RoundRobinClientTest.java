package dev.plumb.examples.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.examples.clock.ClockService;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example's channel over three clock servers on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (in this
 * JVM: the addresses tell them apart): each answers a third of the calls, once all are
 * connected. transport-tcp's ReplicasTest does the same with servers in JVMs of their own.
 */
@Timeout(60)
class RoundRobinClientTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void eachReplicaAnswersItsShare() throws Exception {
    List<String> endpoints = new ArrayList<>();
    for (String host : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) {
      Server server = cleanup.add(PlumbServerBuilder.forAddress("tcp://" + host + ":0")
          .addService(new ClockService()).build().start());
      // tcp://127.0.0.2:41234, the port the server was given
      endpoints.add(server.getListenSockets().get(0).toString().substring("tcp://".length()));
    }
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(
        "tcp://" + String.join(",", endpoints))
        .defaultServiceConfig(RoundRobinClient.SERVICE_CONFIG).build());
    // Connected to all three (round_robin sends calls only to ready servers)...
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (RoundRobinClient.greet(channel, 3).size() < 3) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not all three servers answered within 30 s");
      }
    }
    // ...each answers every third call.
    Map<String, Integer> answered = RoundRobinClient.greet(channel, 12);
    assertEquals(3, answered.size(), answered.toString());
    for (Map.Entry<String, Integer> server : answered.entrySet()) {
      assertEquals(4, server.getValue(), answered.toString());
    }
  }
}
