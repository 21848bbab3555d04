package dev.plumb.demo;

import java.util.List;

/**
 * What the {@code ps -ef | grep} example produced.
 *
 * @param childPid the filter child's pid, or -1 if it never answered
 * @param source where the process lines came from ({@code ps -ef})
 * @param processLines how many process lines were streamed
 * @param processMatches how many of them matched
 * @param generatedLines how many generated lines were streamed after them
 * @param linesPerSecond the rate of the generated lines, or NaN if they were not streamed
 * @param pauses how often the producer of the generated lines waited for on-ready
 * @param checksPassed answers that were right
 * @param failures what was wrong, one line each
 */
public record GrepResult(long childPid, String source, int processLines, int processMatches,
    int generatedLines, double linesPerSecond, int pauses, int checksPassed,
    List<String> failures) {

  public GrepResult {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** One line for the end of the demo, under the table. */
  public String summary() {
    StringBuilder line = new StringBuilder("grep over pipe: ");
    if (processLines > 0) {
      line.append(String.format("%d of %d lines of %s matched", processMatches, processLines,
          source));
    } else {
      line.append("no process lines");
    }
    if (!Double.isNaN(linesPerSecond)) {
      line.append(String.format("; %,d generated lines at %,.0f lines/s", generatedLines,
          linesPerSecond));
    }
    line.append(passed() ? "; all " + checksPassed + " right" : "; " + failures.size()
        + " WRONG");
    return line.toString();
  }
}
