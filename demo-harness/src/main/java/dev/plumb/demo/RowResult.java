package dev.plumb.demo;

import java.util.List;

/**
 * What one of the demo's single-line rows produced (three replicas, the Node.js client): a
 * summary, the answers that were right and what was wrong, or why the row was skipped.
 *
 * @param title what the row shows, e.g. {@code three replicas behind one target}
 * @param details what was measured or seen, or why it was skipped
 * @param checksPassed answers that were right
 * @param failures what was wrong, one line each
 * @param skipped whether the row could not run here (a missing tool); it then passes
 */
public record RowResult(String title, String details, int checksPassed, List<String> failures,
    boolean skipped) {

  public RowResult {
    failures = List.copyOf(failures);
  }

  /** A row that ran: right answers and failures from {@code checklist}. */
  static RowResult of(String title, String details, Checklist checklist) {
    return new RowResult(title, details, checklist.passed(), checklist.failures(), false);
  }

  /** A row that could not run here, and why. */
  static RowResult skipped(String title, String reason) {
    return new RowResult(title, reason, 0, List.of(), true);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** One line for the end of the demo, with each failure on a line of its own after it. */
  public String summary() {
    StringBuilder text = new StringBuilder(title).append(": ");
    if (skipped) {
      return text.append("skipped: ").append(details).append('\n').toString();
    }
    text.append(details).append(passed() ? "; all " + checksPassed + " right"
        : "; " + failures.size() + " WRONG").append('\n');
    for (String failure : failures) {
      text.append(title).append(": WRONG: ").append(failure).append('\n');
    }
    return text.toString();
  }
}
