package dev.plumb.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One row of the demo: a transport, and the address the server child listens on for it. The
 * demo runs the same checks and measurements for every scenario, so adding a transport is
 * adding a scenario here.
 *
 * @param name the name in the table, e.g. {@code tcp}
 * @param listenAddress what the server child gets as its listen address; the demo connects to
 *     the address the child reports back, which for {@code tcp://127.0.0.1:0} has the real port
 * @param directory a private temporary directory the scenario's server uses (the socket file
 *     of {@code unix:}), removed by {@link #cleanUp}; null if there is none
 */
public record TransportScenario(String name, String listenAddress, Path directory) {

  /** A scenario that leaves nothing behind to clean up. */
  public TransportScenario(String name, String listenAddress) {
    this(name, listenAddress, null);
  }

  /**
   * The transports that have landed. {@code shm:} will be like {@code unix:}; {@code pipe:}
   * differs: there the client spawns the server itself, so its scenario will name a target
   * instead of a listen address.
   */
  public static List<TransportScenario> available() {
    return List.of(new TransportScenario("tcp", "tcp://127.0.0.1:0"), unix());
  }

  /** {@code unix:} with its socket file in a fresh temporary directory (mode 0700). */
  static TransportScenario unix() {
    try {
      Path directory = Files.createTempDirectory("plumb-demo-");
      Path socket = directory.resolve("calculator.sock");
      // A backstop should the demo die before cleanUp: deleted in reverse order, file first.
      directory.toFile().deleteOnExit();
      socket.toFile().deleteOnExit();
      return new TransportScenario("unix", "unix://" + socket, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for unix:", e);
    }
  }

  /** Removes {@link #directory} and whatever a server left in it (a killed one, its socket). */
  public void cleanUp() {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + directory, e);
    }
  }
}
