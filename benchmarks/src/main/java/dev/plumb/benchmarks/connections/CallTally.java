package dev.plumb.benchmarks.connections;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How a client's calls ended, by kind: {@link #OK}, {@link #REFUSED} (the server refused the
 * connection at its limit: UNAVAILABLE whose cause is the server's RESOURCE_EXHAUSTED), and any
 * other failure by its code and description (digits blanked, so that ports and counts do not
 * make every failure a kind of its own). Thread-safe.
 */
final class CallTally {
  static final String OK = "ok";
  static final String REFUSED = "UNAVAILABLE (the connection was refused: RESOURCE_EXHAUSTED)";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(Status status) {
    counts.computeIfAbsent(kind(status), k -> new LongAdder()).increment();
  }

  static String kind(Status status) {
    if (status.isOk()) {
      return OK;
    }
    if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null
        && Status.fromThrowable(status.getCause()).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      return REFUSED;
    }
    return status.getCode() + ": " + String.valueOf(status.getDescription())
        .replaceAll("[0-9]+", "N").replace(',', ';').replace('=', ':');
  }

  long count(String kind) {
    LongAdder count = counts.get(kind);
    return count == null ? 0 : count.sum();
  }

  /** {@code kind=count,kind=count}, sorted by kind; empty if nothing was counted. */
  String toLine() {
    StringBuilder line = new StringBuilder();
    new TreeMap<>(counts).forEach((kind, count) -> line.append(line.length() == 0 ? "" : ",")
        .append(kind).append('=').append(count.sum()));
    return line.toString();
  }

  /** The counts of a {@link #toLine} line, added into {@code totals}. */
  static void addLine(String line, Map<String, Long> totals) {
    if (line.isEmpty()) {
      return;
    }
    for (String entry : line.split(",")) {
      int at = entry.lastIndexOf('=');
      totals.merge(entry.substring(0, at), Long.parseLong(entry.substring(at + 1)), Long::sum);
    }
  }
}
