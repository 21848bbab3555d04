package dev.plumb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.benchmarks.driver.Configurations;
import dev.plumb.benchmarks.driver.Metrics;
import dev.plumb.benchmarks.driver.RawConfiguration;
import dev.plumb.benchmarks.driver.Report;
import dev.plumb.benchmarks.driver.Results;
import dev.plumb.benchmarks.driver.RpcConfiguration;
import dev.plumb.benchmarks.driver.Run;
import dev.plumb.benchmarks.driver.Runner;
import dev.plumb.benchmarks.driver.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the driver's code path with tiny counts on a Plumb configuration whose server is a child
 * JVM, grpc in-process, and one raw mechanism, so the benchmarks cannot rot between the times
 * someone runs them. The figures are not looked at, only that every one of them exists.
 */
class DriverSmokeTest {

  @Test
  @Timeout(value = 50, unit = TimeUnit.SECONDS)
  void everyMeasurementProducesFiguresAndTheReportShowsThem() throws Exception {
    RpcConfiguration plumbTcp = Configurations.rpc().stream()
        .filter(c -> c.name().equals("plumb tcp:")).findFirst().orElseThrow();
    RpcConfiguration inProcess = Configurations.grpcInProcess();
    RawConfiguration rawTcp = Configurations.rawTcp();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Settings settings = Settings.smoke();

    Run run = new Runner(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(List.of(plumbTcp, inProcess), List.of(rawTcp));

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
        assertFigures(row, Metrics.THROUGHPUT, settings, log);
      }
    }

    String markdown = Report.markdown(run);
    assertTrue(markdown.contains("| plumb tcp: | 16 B |"), markdown);
    assertTrue(markdown.contains("| grpc in-process | 256 KiB |"), markdown);
    assertTrue(markdown.contains("| raw TCP | 4 KiB |"), markdown);
    assertTrue(markdown.contains("## Aims (issue 6)"), markdown);
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
