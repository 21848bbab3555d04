package dev.plumb.demo.share;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The share example's table: one row per transport and mode, then every wrong answer. A row's
 * figures are its median round's, and the last column has every round's together figure. A
 * shared row shows how long the producer took to make the buffer (outside the timed calls) and
 * its together figure over the same transport's streamed one, from the same run.
 */
public final class ShareTable {
  private static final String ROW = "%-10s %-9s %10s %17s %17s %15s %12s  %-14s %s%n";

  private ShareTable() {}

  public static String format(List<ShareResult> results) {
    StringBuilder table = new StringBuilder();
    if (results.isEmpty()) {
      return "";
    }
    table.append(String.format("%s shared by two consumers, half each (the producer and each"
        + " consumer a separate JVM);%nstreamed rows make their chunks inside the timed calls,"
        + " shared rows make the one buffer before them (making ms); figures of the median"
        + " round%n", size(results.get(0).sizeBytes())));
    table.append(String.format(ROW, "transport", "mode", "making ms", "consumer 0 MiB/s",
        "consumer 1 MiB/s", "together MiB/s", "vs streamed", "answers",
        "together MiB/s by round"));
    for (ShareResult result : results) {
      table.append(String.format(ROW, result.transport(), result.mode().label(),
          result.makingNanos() < 0 ? "-" : String.format("%,.1f", result.makingNanos() / 1e6),
          rate(result.mibPerSecond(0)), rate(result.mibPerSecond(1)),
          rate(result.togetherMiBPerSecond()), ratio(result, results),
          result.passed() ? "all " + result.checksPassed() + " right"
              : result.failures().size() + " WRONG",
          result.togetherByRound().stream().map(ShareTable::rate)
              .collect(Collectors.joining(", "))));
    }
    for (ShareResult result : results) {
      for (String failure : result.failures()) {
        table.append("share over ").append(result.transport()).append(' ')
            .append(result.mode().label()).append(": WRONG: ").append(failure).append('\n');
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

  /** A shared row's together figure over its transport's streamed one, or "-". */
  private static String ratio(ShareResult result, List<ShareResult> results) {
    if (result.mode() != ShareMode.SHARED) {
      return "-";
    }
    double streamed = results.stream().filter(other -> other.mode() == ShareMode.STREAMED
        && other.transport().equals(result.transport()))
        .mapToDouble(ShareResult::togetherMiBPerSecond).findFirst().orElse(Double.NaN);
    double ratio = result.togetherMiBPerSecond() / streamed;
    return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format("%.1fx", ratio);
  }

  private static String rate(double mibPerSecond) {
    return Double.isNaN(mibPerSecond) ? "-" : String.format("%,.1f", mibPerSecond);
  }
}
