package dev.plumb.examples.replicas;

import dev.plumb.examples.ExampleConfiguration;
import dev.plumb.examples.clock.ClockGrpc;
import dev.plumb.examples.clock.HelloRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Three replicas behind one target: {@code RoundRobinClient TARGET [CALLS]} greets the servers
 * behind {@code TARGET} {@code CALLS} times (12 by default) over a round_robin channel and prints
 * how many calls each one answered, by its address. {@code TARGET} lists the servers
 * ({@code tcp://127.0.0.1:7000,127.0.0.2:7000,127.0.0.3:7000}), or names a host with several
 * addresses ({@code tcp://replicas.internal:7000}), or goes through gRPC's DNS resolver
 * ({@code dns:///replicas.internal:7000}). The servers are any that host the clock service, such
 * as the RPC daemon. A call that meets a server as it dies is retried on another.
 */
public final class RoundRobinClient {
  /** round_robin, and a call that ends UNAVAILABLE made again, up to three times in all. */
  public static final Map<String, ?> SERVICE_CONFIG = Map.of(
      "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
      "methodConfig", List.of(Map.of(
          "name", List.of(Map.of()),
          "retryPolicy", Map.of(
              "maxAttempts", 3.0,
              "initialBackoff", "0.1s",
              "maxBackoff", "1s",
              "backoffMultiplier", 2.0,
              "retryableStatusCodes", List.of("UNAVAILABLE")))));

  private RoundRobinClient() {}

  public static void main(String[] args) throws InterruptedException {
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    ManagedChannel channel = ExampleConfiguration.client(args).channelBuilder()
        .defaultServiceConfig(SERVICE_CONFIG).build();
    try {
      greet(channel, calls).forEach((server, answered) ->
          System.out.println(server + " answered " + answered + " of " + calls + " calls"));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Greets {@code calls} times, one call after another; how many calls each server answered,
   * by its address and pid, in the order they first answered.
   */
  public static Map<String, Integer> greet(Channel channel, int calls) {
    Map<String, Integer> answered = new LinkedHashMap<>();
    PeerAddress peer = new PeerAddress();
    ClockGrpc.ClockBlockingStub clock = ClockGrpc.newBlockingStub(channel)
        .withInterceptors(peer);
    for (int i = 0; i < calls; i++) {
      long pid = clock.withDeadlineAfter(10, TimeUnit.SECONDS)
          .hello(HelloRequest.newBuilder().setName("replica client").build()).getServerPid();
      answered.merge(peer.last() + " (pid " + pid + ")", 1, Integer::sum);
    }
    return answered;
  }
}
