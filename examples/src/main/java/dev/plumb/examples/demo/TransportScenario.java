package dev.plumb.examples.demo;

import java.util.List;

/**
 * One row of the demo: a transport, and the address the server child listens on for it. The
 * demo runs the same checks and measurements for every scenario, so adding a transport is
 * adding a scenario here.
 *
 * @param name the name in the table, e.g. {@code tcp}
 * @param listenAddress what the server child gets as its listen address; the demo connects to
 *     the address the child reports back, which for {@code tcp://127.0.0.1:0} has the real port
 */
public record TransportScenario(String name, String listenAddress) {

  /**
   * The transports that have landed. When {@code unix:} lands, its row is
   * {@code new TransportScenario("unix", "unix://" + aFreshSocketPath)}, and {@code shm:}'s
   * likewise. {@code pipe:} differs: there the client spawns the server itself, so its
   * scenario will name a target instead of a listen address.
   */
  public static List<TransportScenario> available() {
    return List.of(new TransportScenario("tcp", "tcp://127.0.0.1:0"));
  }
}
