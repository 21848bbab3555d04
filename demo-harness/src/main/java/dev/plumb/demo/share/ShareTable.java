package dev.plumb.demo.share;

import java.util.List;

/** The share example's table: one row per transport, then every wrong answer. */
public final class ShareTable {
  private static final String ROW = "%-10s %17s %17s %15s  %s%n";

  private ShareTable() {}

  public static String format(List<ShareResult> results) {
    StringBuilder table = new StringBuilder();
    if (results.isEmpty()) {
      return "";
    }
    table.append(String.format("%s shared by two consumers, half each (the producer and each"
        + " consumer a separate JVM)%n", size(results.get(0).sizeBytes())));
    table.append(String.format(ROW, "transport", "consumer 0 MiB/s", "consumer 1 MiB/s",
        "together MiB/s", "answers"));
    for (ShareResult result : results) {
      table.append(String.format(ROW, result.transport(), rate(result.mibPerSecond(0)),
          rate(result.mibPerSecond(1)), rate(result.togetherMiBPerSecond()),
          result.passed() ? "all " + result.checksPassed() + " right"
              : result.failures().size() + " WRONG"));
    }
    for (ShareResult result : results) {
      for (String failure : result.failures()) {
        table.append("share over ").append(result.transport()).append(": WRONG: ")
            .append(failure).append('\n');
      }
    }
    return table.toString();
  }

  /** {@code 100 MiB}, {@code 512 KiB}, or bytes. */
  public static String size(long bytes) {
    if (bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
  }

  private static String rate(double mibPerSecond) {
    return Double.isNaN(mibPerSecond) ? "-" : String.format("%,.1f", mibPerSecond);
  }
}
