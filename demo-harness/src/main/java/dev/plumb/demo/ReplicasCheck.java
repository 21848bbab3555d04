package dev.plumb.demo;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.examples.replicas.RoundRobinClient;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three replicas behind one target: three daemons, each a JVM of its own, on 127.0.0.1,
 * 127.0.0.2 and 127.0.0.3 (free ports), and one Plumb channel to
 * {@code tcp://127.0.0.1:P1,127.0.0.2:P2,127.0.0.3:P3} with gRPC's round_robin
 * ({@link RoundRobinClient}'s service config). Once all three have answered, it greets them
 * {@value #CALLS} times, one call after another, and shows how many calls each server answered:
 * right when each answered every third.
 */
final class ReplicasCheck {
  static final String TITLE = "three replicas behind one target";
  static final int CALLS = 30;
  private static final int REPLICAS = 3;

  private final DemoSettings settings;
  private final PrintStream out;

  ReplicasCheck(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  RowResult run() throws InterruptedException {
    Checklist checklist = new Checklist();
    List<ServerProcess> servers = new ArrayList<>();
    String details = "no answer";
    try {
      for (int i = 1; i <= REPLICAS; i++) {
        ServerProcess server = DaemonProcess.start("tcp://127.0.0." + i + ":0",
            settings.serverStartTimeout());
        servers.add(server);
        progress("server pid " + server.pid() + " is ready at " + server.address());
      }
      String target = "tcp://" + servers.stream()
          .map(server -> server.address().substring("tcp://".length()))
          .collect(Collectors.joining(","));
      progress("one channel to " + target + " with round_robin, " + CALLS + " calls");
      ManagedChannel channel = PlumbChannelBuilder.forTarget(target)
          .defaultServiceConfig(RoundRobinClient.SERVICE_CONFIG).build();
      try {
        if (connectedToAll(channel)) {
          checklist.pass();
          Map<String, Integer> answered = RoundRobinClient.greet(channel, CALLS);
          details = answered.entrySet().stream()
              .map(server -> server.getKey() + " " + server.getValue())
              .collect(Collectors.joining(", ")) + " of " + CALLS + " calls";
          progress(details);
          if (answered.size() == REPLICAS && answered.values().stream()
              .allMatch(calls -> calls == CALLS / REPLICAS)) {
            checklist.pass();
          } else {
            checklist.fail("round_robin did not give each server every third call: "
                + answered);
          }
        } else {
          checklist.fail("not all " + REPLICAS + " servers answered within "
              + settings.serverStartTimeout().toSeconds() + " s");
        }
      } catch (StatusRuntimeException e) {
        checklist.fail("a call failed: " + CalculatorChecks.describe(e.getStatus()));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      checklist.fail("a server did not start: " + e.getMessage());
    } finally {
      for (ServerProcess server : servers) {
        server.close();
        progress(server.isAlive() ? "server pid " + server.pid() + " is still running"
            : "server pid " + server.pid() + " exited with code " + server.exitCode());
      }
    }
    return RowResult.of(TITLE, details, checklist);
  }

  /**
   * Greets until every server has answered: round_robin sends calls only to servers it has
   * connected to, and it connects to all of them at once, so the first calls may all go to one.
   */
  private boolean connectedToAll(ManagedChannel channel) {
    long deadline = System.nanoTime() + settings.serverStartTimeout().toNanos();
    while (RoundRobinClient.greet(channel, REPLICAS).size() < REPLICAS) {
      if (System.nanoTime() > deadline) {
        return false;
      }
    }
    return true;
  }

  private void progress(String line) {
    out.println("replicas: " + line);
  }
}
