package dev.plumb.demo;

import java.util.List;

/** The demo's summary: one row per transport, then every wrong answer. */
public final class ResultTable {
  private static final String ROW = "%-10s %8s %9s %9s %17s  %s%n";

  private ResultTable() {}

  public static String format(List<ScenarioResult> results) {
    StringBuilder table = new StringBuilder();
    table.append(String.format(ROW, "transport", "calls", "p50 µs", "p99 µs",
        "streaming msg/s", "answers"));
    for (ScenarioResult result : results) {
      LatencySummary latency = result.latency();
      table.append(String.format(ROW, result.transport(),
          latency == null ? "-" : String.valueOf(latency.calls()),
          latency == null ? "-" : String.format("%.1f", latency.p50Micros()),
          latency == null ? "-" : String.format("%.1f", latency.p99Micros()),
          Double.isNaN(result.streamMessagesPerSecond())
              ? "-" : String.format("%,.0f", result.streamMessagesPerSecond()),
          result.passed()
              ? "all " + result.checksPassed() + " right"
              : result.failures().size() + " WRONG"));
    }
    for (ScenarioResult result : results) {
      for (String failure : result.failures()) {
        table.append(result.transport()).append(": WRONG: ").append(failure).append('\n');
      }
    }
    return table.toString();
  }
}
