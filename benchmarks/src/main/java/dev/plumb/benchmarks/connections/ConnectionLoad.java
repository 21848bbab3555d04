package dev.plumb.benchmarks.connections;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection load test. Usage (from the benchmarks jar; docs/TRANSPORTS.md, "Connection
 * limits", has the whole command):
 *
 * <pre>
 *   ConnectionLoad [--connections 1000] [--clients 4] [--seconds 10] [--limit 500]
 *                  [--only tcp,unix,shm] [--shm-ring SIZE] [--out FILE]
 * </pre>
 *
 * For each transport it runs two phases, each with a server JVM of its own
 * ({@link LoadServerMain}) and {@code clients} client JVMs ({@link LoadClientMain}) that share
 * {@code connections} channels: first with the server's default connection limit, then with
 * {@code maxConnections} {@code limit}. A phase measures the server (threads, resident memory,
 * descriptors, heap after a full collection) before the clients come, with every client
 * connected, after {@code seconds} of unary calls on all channels at once, and after the
 * clients left; the clients count how their calls ended. {@code shm:} servers use the
 * transport's ring size unless {@code --shm-ring} sets one. It prints a Markdown report (and
 * writes it to {@code --out}). Linux only: it reads {@code /proc}.
 */
public final class ConnectionLoad {
  private static final List<String> SERVER_JVM = List.of("-Xms512m", "-Xmx512m",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  /** The clients' own refusal warnings would drown the server's, which are the ones shown. */
  private static final List<String> CLIENT_JVM = List.of("-Xmx512m",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration CONNECT = Duration.ofMinutes(5);
  private static final Duration MEASURE = Duration.ofMinutes(1);
  /** How long the server may take to see every client's connection end. */
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private final Settings settings;
  private final Path sockets;

  private ConnectionLoad(Settings settings, Path sockets) {
    this.settings = settings;
    this.sockets = sockets;
  }

  /** The command line's options. */
  private record Settings(int connections, int clients, long seconds, int limit,
      List<String> transports, String shmRing, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> options = new LinkedHashMap<>(Map.of("--connections", "1000",
          "--clients", "4", "--seconds", "10", "--limit", "500", "--only", "tcp,unix,shm",
          "--shm-ring", "", "--out", "benchmarks/target/connections.md"));
      for (int i = 0; i < args.length; i += 2) {
        if (!options.containsKey(args[i]) || i + 1 >= args.length) {
          throw new IllegalArgumentException("usage: ConnectionLoad [--connections N]"
              + " [--clients N] [--seconds N] [--limit N] [--only tcp,unix,shm]"
              + " [--shm-ring SIZE] [--out FILE]; got " + String.join(" ", args));
        }
        options.put(args[i], args[i + 1]);
      }
      return new Settings(Integer.parseInt(options.get("--connections")),
          Integer.parseInt(options.get("--clients")), Long.parseLong(options.get("--seconds")),
          Integer.parseInt(options.get("--limit")), List.of(options.get("--only").split(",")),
          options.get("--shm-ring"), Path.of(options.get("--out")));
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Path sockets = Files.createTempDirectory("plumb-connections");
    StringBuilder report = new StringBuilder();
    try {
      ConnectionLoad load = new ConnectionLoad(settings, sockets);
      report.append(load.header());
      for (String transport : settings.transports) {
        report.append(load.phase(transport, null).row());
        report.append(load.phase(transport, settings.limit).row());
      }
      report.append(String.format(Locale.ROOT, "%nLoad average at the end: %s.%n",
          loadAverage()));
    } finally {
      try (var files = Files.list(sockets)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(sockets);
    }
    System.out.print(report);
    Files.createDirectories(settings.out.toAbsolutePath().getParent());
    Files.writeString(settings.out, report);
  }

  private String header() throws IOException {
    return String.format(Locale.ROOT, "Connection load: %d connections from %d client JVMs,"
        + " %d s of unary calls (16 B, one in flight per connection); descriptor limit (soft,"
        + " hard) %s; %d cores; load average at the start %s.%n%n"
        + "| transport | maxConnections | first call: admitted / refused / other |"
        + " connection threads: before → connected (per admitted connection) | all threads"
        + " connected (gRPC executor) | heap after GC: before → connected (per admitted"
        + " connection) | descriptors: before → connected (per admitted connection) |"
        + " RSS connected | /dev/shm used | calls/s | call outcomes | after the clients left:"
        + " connection threads, descriptors |%n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|%n",
        settings.connections, settings.clients, settings.seconds,
        Files.readAllLines(Path.of("/proc/self/limits")).stream()
            .filter(line -> line.startsWith("Max open files"))
            .map(line -> line.replaceAll("[^0-9 ]", "").trim().replaceAll("\\s+", ", "))
            .findFirst().orElse("?"),
        Runtime.getRuntime().availableProcessors(), loadAverage());
  }

  /** The 1, 5 and 15 minute load averages: other work on the machine shows there. */
  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + ", " + fields[1] + ", " + fields[2];
  }

  private String listenAddress(String transport) {
    Path socket = sockets.resolve(transport + "-" + System.nanoTime() + ".sock");
    return switch (transport) {
      case "tcp" -> "tcp://127.0.0.1:0";
      case "unix" -> "unix://" + socket;
      case "shm" -> "shm://" + socket
          + (settings.shmRing.isEmpty() ? "" : "?ringSize=" + settings.shmRing);
      default -> throw new IllegalArgumentException("no transport " + transport
          + "; expected tcp, unix or shm");
    };
  }

  /** One server, its clients, and what was measured; {@code limit} null for the default. */
  private Phase phase(String transport, Integer limit) throws Exception {
    System.err.printf("== %s, maxConnections %s%n", transport, limit == null ? "default" : limit);
    List<String> serverArgs = new ArrayList<>(List.of(listenAddress(transport)));
    if (limit != null) {
      serverArgs.add(Integer.toString(limit));
    }
    try (PipedJvm server = PipedJvm.start("server", SERVER_JVM, LoadServerMain.class,
        serverArgs)) {
      String address = server.await("READY ", START);
      Phase phase = new Phase(transport, limit);
      phase.before = measure(server);
      long shmBefore = shmUsed();
      List<PipedJvm> clients = new ArrayList<>();
      try {
        for (int i = 0; i < settings.clients; i++) {
          int share = settings.connections / settings.clients
              + (i < settings.connections % settings.clients ? 1 : 0);
          clients.add(PipedJvm.start("client-" + i, CLIENT_JVM, LoadClientMain.class,
              List.of(address, Integer.toString(share), Long.toString(settings.seconds))));
        }
        for (PipedJvm client : clients) {
          CallTally.addLine(client.await("CONNECTED ", CONNECT), phase.connected);
        }
        phase.atConnected = measure(server);
        phase.shmUsed = shmUsed() - shmBefore;
        long start = System.nanoTime();
        for (PipedJvm client : clients) {
          client.send(LoadClientMain.GO);
        }
        for (PipedJvm client : clients) {
          CallTally.addLine(client.await("RESULT ", Duration.ofSeconds(settings.seconds)
              .plus(CONNECT)), phase.outcomes);
        }
        phase.loadSeconds = (System.nanoTime() - start) / 1e9;
      } finally {
        clients.forEach(PipedJvm::close);
      }
      phase.afterClients = drained(server, phase.before);
      phase.serverAlive = server.isAlive();
      return phase;
    }
  }

  private static ProcessFigures measure(PipedJvm server) throws Exception {
    server.send(LoadServerMain.MEASURE);
    return ProcessFigures.parse(ProcessFigures.PREFIX + server.await(ProcessFigures.PREFIX,
        MEASURE));
  }

  /**
   * The server's figures once its descriptors and connection threads are back to what they
   * were before the clients came (every connection's end seen and its threads gone), or as
   * they are when {@link #DRAIN} is up.
   */
  private static ProcessFigures drained(PipedJvm server, ProcessFigures before)
      throws Exception {
    long end = System.nanoTime() + DRAIN.toNanos();
    ProcessFigures now = measure(server);
    while ((now.descriptors() > before.descriptors()
        || now.connectionThreads() > before.connectionThreads()) && System.nanoTime() - end < 0) {
      Thread.sleep(500);  // A poll of the server's state, not a synchronisation of ours.
      now = measure(server);
    }
    return now;
  }

  /** Bytes in use in {@code /dev/shm}, or 0 where there is none. */
  private static long shmUsed() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return 0;
    }
    FileStore store = Files.getFileStore(shm);
    return store.getTotalSpace() - store.getUnallocatedSpace();
  }

  /** What one phase measured. */
  private static final class Phase {
    final String transport;
    final Integer limit;
    final Map<String, Long> connected = new LinkedHashMap<>();
    final Map<String, Long> outcomes = new LinkedHashMap<>();
    ProcessFigures before;
    ProcessFigures atConnected;
    ProcessFigures afterClients;
    long shmUsed;
    double loadSeconds;
    boolean serverAlive;

    Phase(String transport, Integer limit) {
      this.transport = transport;
      this.limit = limit;
    }

    String row() {
      long admitted = connected.getOrDefault(CallTally.OK, 0L);
      long refused = connected.getOrDefault(CallTally.REFUSED, 0L);
      long other = connected.values().stream().mapToLong(Long::longValue).sum() - admitted
          - refused;
      long n = Math.max(1, admitted);
      return String.format(Locale.ROOT,
          "| `%s:` | %s | %d / %d / %d%s | %d → %d (%.2f) | %d (%d) | %.1f → %.1f MiB (%.1f KiB)"
              + " | %d → %d (%.2f) | %.0f MiB | %.1f MiB | %.0f | %s | %d, %d%s |%n",
          transport, limit == null ? "default" : limit, admitted, refused, other,
          other == 0 ? "" : " (" + describe(otherThan(connected)) + ")",
          before.connectionThreads(), atConnected.connectionThreads(),
          (atConnected.connectionThreads() - before.connectionThreads()) / (double) n,
          atConnected.threads(), atConnected.executorThreads(),
          before.heapAfterGcBytes() / 1048576.0, atConnected.heapAfterGcBytes() / 1048576.0,
          (atConnected.heapAfterGcBytes() - before.heapAfterGcBytes()) / 1024.0 / n,
          before.descriptors(), atConnected.descriptors(),
          (atConnected.descriptors() - before.descriptors()) / (double) n,
          atConnected.rssKib() / 1024.0, shmUsed / 1048576.0,
          outcomes.getOrDefault(CallTally.OK, 0L) / loadSeconds, describe(outcomes),
          afterClients.connectionThreads(), afterClients.descriptors(),
          serverAlive ? "" : "; **the server died**");
    }

    private static Map<String, Long> otherThan(Map<String, Long> tally) {
      Map<String, Long> other = new LinkedHashMap<>(tally);
      other.remove(CallTally.OK);
      other.remove(CallTally.REFUSED);
      return other;
    }

    private static String describe(Map<String, Long> outcomes) {
      List<String> parts = new ArrayList<>();
      outcomes.forEach((kind, count) -> parts.add(kind + ": " + count));
      return String.join("; ", parts);
    }
  }
}
