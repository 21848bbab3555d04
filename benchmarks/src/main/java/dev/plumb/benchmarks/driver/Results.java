package dev.plumb.benchmarks.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a run: per configuration, per metric, one value per repetition. Only the
 * driver's thread writes; read after the run.
 */
public final class Results {
  /** One configuration's figures. */
  public static final class Row {
    private final String name;
    private final Medium medium;
    private final boolean raw;
    private boolean serverInThisJvm;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    Row(String name, Medium medium, boolean raw) {
      this.name = name;
      this.medium = medium;
      this.raw = raw;
    }

    public String name() {
      return name;
    }

    public Medium medium() {
      return medium;
    }

    /** A raw mechanism rather than an RPC configuration. */
    public boolean raw() {
      return raw;
    }

    public boolean serverInThisJvm() {
      return serverInThisJvm;
    }

    /** The values of {@code metric}, one per repetition that produced it; empty if none. */
    public List<Double> values(String metric) {
      return Collections.unmodifiableList(values.getOrDefault(metric, List.of()));
    }

    /** The names of the metrics this row has values of. */
    public java.util.Set<String> metrics() {
      return Collections.unmodifiableSet(values.keySet());
    }

    /** The median over repetitions, or NaN. */
    public double median(String metric) {
      List<Double> sorted = sorted(metric);
      int n = sorted.size();
      if (n == 0) {
        return Double.NaN;
      }
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min(String metric) {
      List<Double> sorted = sorted(metric);
      return sorted.isEmpty() ? Double.NaN : sorted.get(0);
    }

    public double max(String metric) {
      List<Double> sorted = sorted(metric);
      return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    private List<Double> sorted(String metric) {
      List<Double> sorted = new ArrayList<>(values(metric));
      sorted.removeIf(v -> v.isNaN());
      Collections.sort(sorted);
      return sorted;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  /** The row of a configuration, created in the order configurations are first seen. */
  Row row(String name, Medium medium, boolean raw) {
    return rows.computeIfAbsent(name, n -> new Row(n, medium, raw));
  }

  void serverInThisJvm(String name) {
    rows.get(name).serverInThisJvm = true;
  }

  void add(String name, String metric, double value) {
    rows.get(name).values.computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
  }

  void fail(String what) {
    failures.add(what);
  }

  public List<Row> rows() {
    return List.copyOf(rows.values());
  }

  public Row row(String name) {
    return rows.get(name);
  }

  /** The raw mechanism of {@code medium}, or null if there is none in this run. */
  public Row rawFor(Medium medium) {
    return rows.values().stream().filter(r -> r.raw && r.medium == medium).findFirst()
        .orElse(null);
  }

  /** What went wrong, one line each; a failed repetition leaves its figures out. */
  public List<String> failures() {
    return List.copyOf(failures);
  }
}
