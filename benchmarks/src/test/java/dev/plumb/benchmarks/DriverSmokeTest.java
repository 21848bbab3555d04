package dev.plumb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.benchmarks.driver.Charts;
import dev.plumb.benchmarks.driver.Configurations;
import dev.plumb.benchmarks.driver.DownloadWay;
import dev.plumb.benchmarks.driver.ExecutorMode;
import dev.plumb.benchmarks.driver.Metrics;
import dev.plumb.benchmarks.driver.RawConfiguration;
import dev.plumb.benchmarks.driver.Report;
import dev.plumb.benchmarks.driver.Results;
import dev.plumb.benchmarks.driver.RpcConfiguration;
import dev.plumb.benchmarks.driver.Run;
import dev.plumb.benchmarks.driver.Runner;
import dev.plumb.benchmarks.driver.Settings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the driver's code path with tiny counts on a Plumb configuration whose server is a child
 * JVM, grpc in-process, a raw socket and the raw shared-memory rings, so the benchmarks cannot
 * rot between the times someone runs them. The figures are not looked at, only that every one
 * of them exists (the transfer row's too, on the Plumb configuration), that the charts are PNG
 * images, and that no shared-memory file is left.
 */
class DriverSmokeTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path charts;

  @Test
  // 20-35 s on the busy 2-core VM; the limit only catches a hang.
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void everyMeasurementProducesFiguresAndTheReportShowsThem() throws Exception {
    // One configuration in each executor mode: both modes' code paths, at half the cost.
    RpcConfiguration plumbTcp = Configurations.rpc(List.of(ExecutorMode.DIRECT)).stream()
        .filter(c -> c.configuration().equals("plumb tcp:")).findFirst().orElseThrow();
    RpcConfiguration inProcess = Configurations.grpcInProcess(ExecutorMode.DEFAULT);
    RawConfiguration rawTcp = Configurations.rawTcp();
    RawConfiguration rawShm = Configurations.rawSharedMemory();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Settings settings = Settings.smoke();
    List<Path> ringFilesBefore = ringFiles();

    Run run = new Runner(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(List.of(plumbTcp, inProcess), List.of(rawTcp, rawShm));

    String log = progress.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), run.results().failures(), log);
    for (Results.Row row : run.results().rows()) {
      for (int size : settings.payloads()) {
        for (double p : Metrics.PERCENTILES) {
          assertFigures(row, Metrics.latency(size, p), settings, log);
        }
        assertFigures(row, Metrics.streamMessages(size), settings, log);
        // Process CPU time has clock-tick resolution: a few fast calls may read as 0.
        assertEquals(settings.repetitions(), row.values(Metrics.clientCpu(size)).size(), log);
        if (!row.raw()) {
          assertFigures(row, Metrics.clientAllocation(size), settings, log);
        }
        if (!row.raw() && !row.serverInThisJvm()) {
          assertFigures(row, Metrics.serverAllocation(size), settings, log);
        }
      }
      if (!row.raw()) {
        for (double p : Metrics.PERCENTILES) {
          assertFigures(row, Metrics.asyncLatency(settings.payloads().get(0), p), settings, log);
        }
        assertFigures(row, Metrics.asyncClientSwitches(settings.payloads().get(0)), settings,
            log);
        assertFigures(row, Metrics.THROUGHPUT, settings, log);
        // CPU over an idle window may be 0 ticks; wake-ups are at least the driver's own.
        assertEquals(settings.repetitions(), row.values(Metrics.IDLE_CLIENT_CPU).size(), log);
        assertFigures(row, Metrics.IDLE_CLIENT_SWITCHES, settings, log);
      }
      if (row.name().equals(rawShm.name())) {
        // Its server's reader polls: wakes up every few dozen microseconds when idle.
        assertFigures(row, Metrics.IDLE_SERVER_SWITCHES, settings, log);
      }
      if (!row.raw() && !row.serverInThisJvm()) {
        assertEquals(settings.repetitions(), row.values(Metrics.IDLE_SERVER_CPU).size(), log);
        assertEquals(settings.repetitions(), row.values(Metrics.IDLE_SERVER_SWITCHES).size(),
            log);
      }
      assertFigures(row, Metrics.TRANSFER, settings, log);
      if (row.name().equals(plumbTcp.name())) {
        for (DownloadWay way : plumbTcp.downloads()) {
          assertFigures(row, Metrics.download(way), settings, log);
        }
        // tcp: carries the shared buffer inline: the client reads a private copy.
        assertEquals(List.of(0.0, 0.0), row.values(Metrics.DOWNLOAD_IN_PLACE), log);
      }
    }

    String markdown = Report.markdown(run);
    assertTrue(markdown.contains("| plumb tcp: direct | 16 B |"), markdown);
    assertTrue(markdown.contains("| grpc in-process default | 256 KiB |"), markdown);
    assertTrue(markdown.contains("## Direct and default executors side by side\n"), markdown);
    assertTrue(markdown.contains("| plumb tcp: direct |"), markdown);
    assertTrue(markdown.contains("| raw TCP | 4 KiB |"), markdown);
    assertTrue(markdown.contains("## Aims\n"), markdown);
    assertTrue(markdown.contains("## One large transfer: 4 MiB in 1 MiB messages"), markdown);
    assertTrue(markdown.contains("## The transfer row: 4 MiB from one process to another"),
        markdown);
    assertTrue(markdown.matches("(?s).*\\| plumb tcp: direct \\| [^|]+ \\| private copy \\|.*"),
        markdown);
    assertTrue(markdown.contains("## Idle channel"), markdown);
    assertTrue(markdown.contains("| raw shm | 16 B |"), markdown);
    assertEquals(ringFilesBefore, ringFiles(), "shared-memory files left behind");

    List<Path> files = Charts.write(run, charts);
    assertEquals(3, files.size());
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      assertTrue(bytes.length > PNG_SIGNATURE.length, file + " is empty");
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file.toString());
      BufferedImage image = ImageIO.read(file.toFile());
      assertTrue(image != null && image.getWidth() > 0 && image.getHeight() > 0, file.toString());
    }
  }

  /** The benchmarks' shared-memory files in /dev/shm (none where there is no /dev/shm). */
  private static List<Path> ringFiles() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(shm)) {
      return files.filter(f -> f.getFileName().toString().startsWith("plumb-bench-")).sorted()
          .toList();
    }
  }

  private static void assertFigures(Results.Row row, String metric, Settings settings,
      String log) {
    List<Double> values = row.values(metric);
    assertEquals(settings.repetitions(), values.size(), row.name() + " " + metric + "\n" + log);
    for (double value : values) {
      assertTrue(value > 0, row.name() + " " + metric + " = " + value + "\n" + log);
    }
  }
}
