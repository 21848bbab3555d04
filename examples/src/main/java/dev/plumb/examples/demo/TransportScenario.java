package dev.plumb.examples.demo;

import dev.plumb.examples.CalculatorServer;
import java.util.List;

/**
 * One row of the demo: a transport, and how its calculator server is started. The demo runs the
 * same checks and measurements for every scenario, so adding a transport is adding a scenario
 * here.
 *
 * <p>Most transports need a server that is already listening: the demo starts
 * {@link CalculatorServer} as a child JVM with the scenario's listen address, waits for its
 * READY line and connects to the address it reports. For {@code pipe:} the client starts the
 * server: the channel's target is the command line of {@link CalculatorServer} listening on
 * {@code stdio:}, and the channel starts that child on its first call and stops it when it shuts
 * down.
 *
 * @param name the name in the table, e.g. {@code tcp}
 * @param listenAddress the server's listen address, e.g. {@code tcp://127.0.0.1:0} (the demo
 *     connects to the real port the server reports) or {@code stdio:}
 * @param startedByChannel whether the channel starts the server ({@code pipe:}) rather than the
 *     demo
 */
public record TransportScenario(String name, String listenAddress, boolean startedByChannel) {

  /** A server the demo starts as a child JVM listening on {@code listenAddress}. */
  public static TransportScenario separateServer(String name, String listenAddress) {
    return new TransportScenario(name, listenAddress, false);
  }

  /** A server that the channel starts over {@code pipe:}, listening on its stdin and stdout. */
  public static TransportScenario childOfChannel(String name) {
    return new TransportScenario(name, "stdio:", true);
  }

  /**
   * The transports that have landed. When {@code unix:} lands, its row is
   * {@code separateServer("unix", "unix://" + aFreshSocketPath)}, and {@code shm:}'s likewise.
   */
  public static List<TransportScenario> available() {
    return List.of(separateServer("tcp", "tcp://127.0.0.1:0"), childOfChannel("pipe"));
  }

  /**
   * The channel target that starts the calculator listening on {@link #listenAddress}, for a
   * scenario {@link #startedByChannel}: {@code pipe:'.../bin/java' ... 'stdio:'}.
   */
  public String pipeTarget() {
    return JavaCommand.pipeTarget(CalculatorServer.class.getName(), List.of(listenAddress), "");
  }
}
