package dev.plumb.benchmarks;

import dev.plumb.benchmarks.driver.Charts;
import dev.plumb.benchmarks.driver.Configurations;
import dev.plumb.benchmarks.driver.ExecutorMode;
import dev.plumb.benchmarks.driver.RawConfiguration;
import dev.plumb.benchmarks.driver.Report;
import dev.plumb.benchmarks.driver.Run;
import dev.plumb.benchmarks.driver.Runner;
import dev.plumb.benchmarks.driver.RpcConfiguration;
import dev.plumb.benchmarks.driver.ServerJvm;
import dev.plumb.benchmarks.driver.Settings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every benchmark configuration across processes and prints a Markdown table of the
 * results, which it also writes to {@code benchmarks/target/results.md} (next to the jar or
 * class folder it runs from), with PNG charts ({@link Charts}) beside it. Progress goes to
 * stderr. Usage:
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.plumb.benchmarks.Driver [--quick]
 *       [--mode direct|default] [--only NAME,...] [--repetitions N] [--deadline SECONDS]
 *       [--transfer-row-only] [--out FILE]
 * </pre>
 *
 * Every RPC configuration runs in both {@link ExecutorMode}s unless {@code --mode} picks one;
 * {@code --quick} runs one round with tiny counts, a check rather than a measurement;
 * {@code --only} keeps the rows whose names contain one of the given words (e.g.
 * {@code --only tcp,raw}); {@code --deadline} gives every RPC call a deadline of that many
 * seconds, as production calls have; {@code --transfer-row-only} measures the transfer row alone
 * (the configurations without it run nothing).
 * Exits 1 if any repetition failed (its figures are left out and the report lists it).
 */
public final class Driver {
  private Driver() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty(ServerJvm.QUIET_NETTY_BOOTSTRAP) == null) {
      System.setProperty(ServerJvm.QUIET_NETTY_BOOTSTRAP, "error");
    }
    Settings settings = Settings.full();
    List<String> only = new ArrayList<>();
    Integer repetitions = null;
    Duration deadline = Duration.ZERO;
    boolean transferRowOnly = false;
    List<ExecutorMode> modes = List.of(ExecutorMode.values());
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          settings = Settings.quick();
          break;
        case "--mode":
          modes = List.of(ExecutorMode.parse(value(args, ++i)));
          break;
        case "--only":
          only.addAll(List.of(value(args, ++i).split(",")));
          break;
        case "--repetitions":
          repetitions = Integer.parseInt(value(args, ++i));
          break;
        case "--transfer-row-only":
          transferRowOnly = true;
          break;
        case "--deadline":
          deadline = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
          break;
        case "--out":
          out = Path.of(value(args, ++i));
          break;
        case "--help":
        case "-h":
          System.out.println("usage: Driver [--quick] [--mode direct|default] [--only NAME,...]"
              + " [--repetitions N] [--deadline SECONDS] [--transfer-row-only] [--out FILE]");
          return;
        default:
          System.err.println("Driver: unknown argument '" + args[i] + "' (try --help)");
          System.exit(2);
      }
    }
    if (repetitions != null) {
      settings = settings.withRepetitions(repetitions);
    }
    settings = settings.withCallDeadline(deadline);
    List<RpcConfiguration> rpc = new ArrayList<>(Configurations.rpc(modes));
    List<RawConfiguration> raw = new ArrayList<>(Configurations.raw());
    if (!only.isEmpty()) {
      rpc.removeIf(c -> only.stream().noneMatch(word -> c.name().contains(word)));
      raw.removeIf(c -> only.stream().noneMatch(word -> c.name().contains(word)));
    }
    if (transferRowOnly) {
      settings = settings.withTransferRowOnly();
      rpc.removeIf(c -> c.downloads().isEmpty());
      raw.clear();
    }
    Run run = new Runner(settings, System.err).run(rpc, raw);
    String markdown = Report.markdown(run);
    System.out.print(markdown);
    System.out.flush();
    Path file = out != null ? out : defaultOutput();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    System.err.println("results written to " + file);
    for (Path chart : Charts.write(run, file.toAbsolutePath().getParent())) {
      System.err.println("chart written to " + chart);
    }
    System.exit(run.results().failures().isEmpty() ? 0 : 1);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("Driver: " + args[i - 1] + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  /** {@code results.md} in the target folder this class was loaded from. */
  static Path defaultOutput() throws URISyntaxException, IOException {
    Path source = Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return source.getParent().resolve("results.md");
  }
}
