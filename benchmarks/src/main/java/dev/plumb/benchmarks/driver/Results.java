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
    private final String configuration;
    private final Medium medium;
    private final ExecutorMode mode;
    private boolean serverInThisJvm;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    Row(String name, String configuration, Medium medium, ExecutorMode mode) {
      this.name = name;
      this.configuration = configuration;
      this.medium = medium;
      this.mode = mode;
    }

    /** The row's name: its configuration and, for RPC rows, the executor mode. */
    public String name() {
      return name;
    }

    /** What is measured, the same in both executor modes, e.g. {@code plumb tcp:}. */
    public String configuration() {
      return configuration;
    }

    /** The executors of both sides; null for a raw mechanism. */
    public ExecutorMode mode() {
      return mode;
    }

    public Medium medium() {
      return medium;
    }

    /** A raw mechanism rather than an RPC configuration. */
    public boolean raw() {
      return mode == null;
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
      return Results.median(sorted(metric));
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

  /** The median of {@code values}, or NaN if there are none. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  /** The row of an RPC configuration, created in the order configurations are first seen. */
  Row row(RpcConfiguration configuration) {
    return rows.computeIfAbsent(configuration.name(), n -> new Row(n,
        configuration.configuration(), configuration.medium(), configuration.mode()));
  }

  /** The row of a raw mechanism, created in the order configurations are first seen. */
  Row row(RawConfiguration configuration) {
    return rows.computeIfAbsent(configuration.name(), n -> new Row(n, n,
        configuration.medium(), null));
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
    return rows.values().stream().filter(r -> r.raw() && r.medium == medium).findFirst()
        .orElse(null);
  }

  /**
   * The row of {@code configuration} in {@code mode} (null: a raw mechanism), or null if it is
   * not in this run.
   */
  public Row row(String configuration, ExecutorMode mode) {
    return rows.values().stream()
        .filter(r -> r.configuration.equals(configuration) && r.mode == mode)
        .findFirst().orElse(null);
  }

  /** What went wrong, one line each; a failed repetition leaves its figures out. */
  public List<String> failures() {
    return List.copyOf(failures);
  }
}
