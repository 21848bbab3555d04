package dev.plumb.demo;

import dev.plumb.daemon.PlumbDaemon;
import dev.plumb.examples.ExampleConfiguration;
import dev.plumb.examples.ExampleJvm;
import dev.plumb.rpc.PlumbChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One row of the demo: a transport, and how its server is started. The server is
 * {@link PlumbDaemon} hosting every example service (registered in the examples jar, which it
 * loads from its service path: {@link DaemonCommand}). The
 * demo runs the same checks and measurements for every scenario, so adding a transport is
 * adding a scenario here.
 *
 * <p>Most transports need a server that is already listening: the demo starts the daemon as a
 * child JVM with the scenario's listen address, waits for its READY line and connects to the
 * address it reports. For {@code pipe:} the client starts the server: the channel's target is
 * the command line of the daemon listening on {@code stdio:}, and the channel starts that child
 * on its first call and stops it when it shuts down.
 *
 * @param name the name in the table, e.g. {@code tcp}
 * @param listenAddress the server's listen address, e.g. {@code tcp://127.0.0.1:0} (the demo
 *     connects to the real port the server reports) or {@code stdio:}
 * @param directory a private temporary directory the scenario's server uses (the socket file
 *     of {@code unix:} and {@code shm:}), removed by {@link #cleanUp}; null if there is none
 * @param startedByChannel whether the channel starts the server ({@code pipe:}) rather than the
 *     demo
 * @param tls the certificates of a scenario over TLS (in {@code directory}), or null
 */
public record TransportScenario(String name, String listenAddress, Path directory,
    boolean startedByChannel, DemoTls tls) {

  /** A scenario in plaintext. */
  public TransportScenario(String name, String listenAddress, Path directory,
      boolean startedByChannel) {
    this(name, listenAddress, directory, startedByChannel, null);
  }

  /** A server the demo starts as a child JVM listening on {@code listenAddress}. */
  public static TransportScenario separateServer(String name, String listenAddress) {
    return new TransportScenario(name, listenAddress, null, false);
  }

  /** A server that the channel starts over {@code pipe:}, listening on its stdin and stdout. */
  public static TransportScenario childOfChannel(String name) {
    return new TransportScenario(name, "stdio:", null, true);
  }

  /** The transports that have landed, in the demo's order; {@code tcp:} also over TLS. */
  public static List<TransportScenario> available() {
    return List.of(separateServer("tcp", "tcp://127.0.0.1:0"), tcpTls(), unix(), shm(),
        childOfChannel("pipe"));
  }

  /**
   * {@code tcp:} with mutual TLS, its certificates made now in a fresh temporary directory
   * ({@link DemoTls}).
   */
  public static TransportScenario tcpTls() {
    Path directory = temporaryDirectory("tcp+tls");
    return new TransportScenario("tcp+tls", "tcp://127.0.0.1:0", directory, false,
        DemoTls.in(directory));
  }

  /** The daemon's arguments: the listen address, and the TLS configuration if any. */
  public List<String> daemonArgs() {
    List<String> args = new ArrayList<>(List.of("--listen", listenAddress));
    if (tls != null) {
      args.addAll(tls.daemonArgs());
    }
    return args;
  }

  /** A channel builder for {@code target}, with the scenario's TLS credentials if any. */
  public PlumbChannelBuilder channelBuilder(String target) {
    return tls == null ? PlumbChannelBuilder.forTarget(target)
        : PlumbChannelBuilder.forTarget(target, tls.channelCredentials());
  }

  /** {@code unix:} with its socket file in a fresh temporary directory (mode 0700). */
  public static TransportScenario unix() {
    return inTemporaryDirectory("unix", "unix://", "daemon.sock");
  }

  /**
   * {@code shm:} with its rendezvous socket in a fresh temporary directory (mode 0700); its
   * segments live in {@code /dev/shm}, nameless once mapped ({@link SegmentNames} checks).
   */
  public static TransportScenario shm() {
    return inTemporaryDirectory("shm", "shm://", "demo.sock");
  }

  private static TransportScenario inTemporaryDirectory(String name, String scheme,
      String socketName) {
    Path directory = temporaryDirectory(name);
    Path socket = directory.resolve(socketName);
    // A backstop should the demo die before cleanUp: deleted in reverse order, file first.
    socket.toFile().deleteOnExit();
    return new TransportScenario(name, scheme + socket, directory, false);
  }

  private static Path temporaryDirectory(String name) {
    try {
      Path directory = Files.createTempDirectory("plumb-demo-");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for " + name + ":", e);
    }
  }

  /**
   * The channel target that starts the daemon listening on {@link #listenAddress}, for a
   * scenario {@link #startedByChannel}: {@code pipe:'.../bin/java' ... '--listen' 'stdio:'}.
   */
  public String pipeTarget() {
    return ExampleJvm.pipeTarget(DaemonCommand.of(daemonArgs()), "");
  }

  /**
   * Whether the transport tells the server who the caller is ({@code unix:} and {@code shm:},
   * from the socket's peer credentials, and {@code pipe:}, whose child knows its parent);
   * {@code tcp:} cannot.
   */
  public boolean transportKnowsPeer() {
    return ExampleConfiguration.isStdio(listenAddress) || listenAddress.startsWith("unix:")
        || listenAddress.startsWith("shm:");
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
