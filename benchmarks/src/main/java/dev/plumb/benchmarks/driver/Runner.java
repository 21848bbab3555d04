package dev.plumb.benchmarks.driver;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs configurations in rounds: each round runs every configuration once, with a fresh server
 * JVM and channel, and the order rotates from round to round, so that neither a noisy minute nor
 * the position in the round favours one configuration. A repetition that fails is reported and
 * left out; the others go on.
 */
public final class Runner {
  private final Settings settings;
  private final PrintStream progress;

  public Runner(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public Run run(List<RpcConfiguration> rpc, List<RawConfiguration> raw) throws IOException {
    Instant started = Instant.now();
    long start = System.nanoTime();
    double loadBefore = loadAverage();
    Results results = new Results();
    List<Object> all = new ArrayList<>();
    // Rows appear in the report in this order: RPC configurations, then raw mechanisms.
    for (RpcConfiguration c : rpc) {
      results.row(c);
      all.add(c);
    }
    for (RawConfiguration c : raw) {
      results.row(c);
      all.add(c);
    }
    Path scratch = Files.createTempDirectory("plumb-bench");
    try {
      for (int round = 0; round < settings.repetitions(); round++) {
        List<Object> order = new ArrayList<>(all);
        Collections.rotate(order, -round);
        for (Object configuration : order) {
          runOne(configuration, round, scratch, results);
        }
      }
    } finally {
      deleteTree(scratch);
    }
    return new Run(settings, results, started, Duration.ofNanos(System.nanoTime() - start),
        loadBefore, loadAverage());
  }

  private void runOne(Object configuration, int round, Path scratch, Results results) {
    String name = configuration instanceof RpcConfiguration rpc ? rpc.name()
        : ((RawConfiguration) configuration).name();
    String tag = name.replaceAll("[^A-Za-z0-9]+", "-") + round;
    String prefix = "[" + settings.name() + " round " + (round + 1) + "/"
        + settings.repetitions() + "] " + name + ": ";
    long start = System.nanoTime();
    String phases = "";
    progress.println(prefix + "starting");
    try {
      // Figures of a repetition count only if all of it succeeds.
      Map<String, Double> figures = new LinkedHashMap<>();
      if (configuration instanceof RpcConfiguration rpc) {
        try (RpcConfiguration.Endpoint endpoint = rpc.opener().open(scratch, tag)) {
          if (endpoint.serverInThisJvm()) {
            results.serverInThisJvm(name);
          }
          RpcBenchmark benchmark = new RpcBenchmark(endpoint, settings, rpc.downloads());
          try {
            benchmark.run(figures);
          } finally {
            phases = benchmark.phases();
          }
        }
      } else {
        RawConfiguration raw = (RawConfiguration) configuration;
        try (RawConfiguration.Link link = raw.opener().open(scratch, tag)) {
          RawBenchmark benchmark = new RawBenchmark(raw, link, settings);
          try {
            benchmark.run(figures);
          } finally {
            phases = benchmark.phases();
          }
        }
      }
      figures.forEach((metric, value) -> results.add(name, metric, value));
      int small = settings.payloads().get(0);
      List<Double> p50 = results.row(name).values(Metrics.latency(small, 50));
      progress.printf("%sdone in %.1f s (%s); unary p50 at %d B: %.1f µs%n", prefix,
          (System.nanoTime() - start) / 1e9, phases, small, p50.isEmpty() ? Double.NaN
              : p50.get(p50.size() - 1));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String what = name + ", round " + (round + 1) + ": " + e;
      results.fail(what);
      progress.printf("%sFAILED after %.1f s (%s): %s%n", prefix,
          (System.nanoTime() - start) / 1e9, phases, e);
      e.printStackTrace(progress);
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
