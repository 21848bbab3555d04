package dev.plumb.demo;

import java.util.List;

/**
 * What one transport scenario produced.
 *
 * @param transport the scenario's name
 * @param serverPid the server child's pid, or -1 if it never started
 * @param checksPassed answers (or batches of answers) that were right
 * @param failures what was wrong, one line each; empty when every answer was right
 * @param latency unary round trips, or null if they were not measured
 * @param streamMessagesPerSecond server-streaming throughput, or NaN if it was not measured
 */
public record ScenarioResult(String transport, long serverPid, int checksPassed,
    List<String> failures, LatencySummary latency, double streamMessagesPerSecond) {

  public ScenarioResult {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }
}
