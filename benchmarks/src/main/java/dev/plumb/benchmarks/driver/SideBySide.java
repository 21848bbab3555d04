package dev.plumb.benchmarks.driver;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The report's overview: each RPC configuration's two executor modes next to each other, with
 * the figures the choice of executor moves most (unary latency, the wake-ups that explain it,
 * streaming rates), so that neither mode's picture is shown alone.
 */
final class SideBySide {
  private SideBySide() {}

  static void write(Run run, Report.Lines out) {
    Results results = run.results();
    List<Integer> payloads = run.settings().payloads();
    int small = payloads.get(0);
    int large = payloads.get(payloads.size() - 1);
    out.line("## Direct and default executors side by side");
    out.line("");
    out.line("Medians. Unary: p50 µs at " + Report.size(small) + ", one call outstanding, "
        + "followed by the wake-ups per call (client / server; in-process: both sides in one "
        + "process). Streaming: one bidi stream, one direction, followed by the ratio to "
        + Configurations.REFERENCE + " (TLS rows: " + Configurations.REFERENCE_TLS + ") in the "
        + "same mode.");
    out.line("");
    out.line("| configuration | blocking p50, direct | blocking p50, default | async p50, direct "
        + "| async p50, default | msgs/s at " + Report.size(small) + ", direct | default "
        + "| MB/s at " + Report.size(large) + ", direct | default |");
    out.line("|---|---|---|---|---|---|---|---|---|");
    Set<String> configurations = new LinkedHashSet<>();
    for (Results.Row row : results.rows()) {
      if (!row.raw()) {
        configurations.add(row.configuration());
      }
    }
    for (String configuration : configurations) {
      StringBuilder line = new StringBuilder("| " + configuration + " |");
      for (ExecutorMode mode : ExecutorMode.values()) {
        line.append(' ').append(latency(results.row(configuration, mode),
            Metrics.latency(small, 50), Metrics.clientSwitches(small),
            Metrics.serverSwitches(small))).append(" |");
      }
      for (ExecutorMode mode : ExecutorMode.values()) {
        line.append(' ').append(latency(results.row(configuration, mode),
            Metrics.asyncLatency(small, 50), Metrics.asyncClientSwitches(small),
            Metrics.asyncServerSwitches(small))).append(" |");
      }
      for (String metric : List.of(Metrics.streamMessages(small),
          Metrics.streamMegabytes(large))) {
        for (ExecutorMode mode : ExecutorMode.values()) {
          Results.Row row = results.row(configuration, mode);
          Results.Row reference = row == null ? null
              : results.row(Configurations.referenceFor(row.medium()), mode);
          line.append(' ').append(rate(row, reference, metric)).append(" |");
        }
      }
      out.line(line.toString());
    }
    out.line("");
  }

  private static String latency(Results.Row row, String metric, String clientSwitches,
      String serverSwitches) {
    if (row == null || Double.isNaN(row.median(metric))) {
      return "–";
    }
    String server = row.serverInThisJvm() ? "in client"
        : Report.number(row.median(serverSwitches));
    return Report.number(row.median(metric)) + " (" + Report.number(row.median(clientSwitches))
        + " / " + server + ")";
  }

  private static String rate(Results.Row row, Results.Row reference, String metric) {
    if (row == null || Double.isNaN(row.median(metric))) {
      return "–";
    }
    return Report.number(row.median(metric)) + " (" + Report.ratio(
        Report.ratio(row, reference, metric)) + "×)";
  }
}
