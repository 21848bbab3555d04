package dev.plumb.benchmarks.driver;

import java.util.List;

/**
 * The report's table of the performance aims, each checked against figures of the same run:
 * a ratio of two medians, or a figure against a bound. An aim whose rows are not in the run
 * says so instead of passing.
 */
final class Aims {
  /** A Plumb configuration over a stream medium, and the grpc-netty row it must beat. */
  private static final List<String> STREAM_TRANSPORTS =
      List.of("plumb tcp:", "plumb unix:", "plumb pipe:");
  private static final List<String> SOCKET_LIKE = List.of("plumb unix:", "plumb pipe:");
  private static final String SHM = "plumb shm:";
  /** An idle channel may use this share of one core, at most. */
  private static final double IDLE_CPU_SHARE = 0.01;

  private final Run run;
  private final Results results;
  private final Report.Lines out;
  private final int small;
  private final int large;

  private Aims(Run run, Report.Lines out) {
    this.run = run;
    this.results = run.results();
    this.out = out;
    List<Integer> payloads = run.settings().payloads();
    this.small = payloads.get(0);
    this.large = payloads.get(payloads.size() - 1);
  }

  static void write(Run run, Report.Lines out) {
    new Aims(run, out).write();
  }

  private void write() {
    out.line("## Aims");
    out.line("");
    out.line("Each aim compares medians of this run (direct: both sides `directExecutor()`; "
        + "default: gRPC's default executors). \"Same medium\": grpc-netty over a Unix socket "
        + "for `unix:`, with TLS for `tcp:` with TLS, over TCP for the others (grpc-netty has "
        + "no pipe or shared-memory transport).");
    out.line("");
    out.line("| aim | configuration | figure | value | met |");
    out.line("|---|---|---|---|---|");
    sharedMemoryLatency();
    streaming();
    socketUnary();
    latencyMode();
    unaryAgainstNetty();
    idle();
    out.line("");
  }

  /** shm: against grpc-java's in-process transport, both sides direct. */
  private void sharedMemoryLatency() {
    Results.Row shm = results.row(SHM, ExecutorMode.DIRECT);
    Results.Row inProcess = results.row(Configurations.IN_PROCESS, ExecutorMode.DIRECT);
    ratioAim("blocking unary p50 at most 2.5× grpc in-process", shm, inProcess,
        Metrics.latency(small, 50), "p50 at " + Report.size(small), 2.5, false);
    ratioAim("async unary p50 at most 1.5× grpc in-process's async p50", shm, inProcess,
        Metrics.asyncLatency(small, 50), "async p50 at " + Report.size(small), 1.5, false);
    ratioAim("blocking unary p99 at most 3× its own p50", shm, shm,
        Metrics.latency(small, 99), Metrics.latency(small, 50), "p99 / p50 at "
            + Report.size(small), 3, false);
  }

  private void streaming() {
    Results.Row nettyTcp = results.row(Configurations.REFERENCE, ExecutorMode.DIRECT);
    Results.Row shm = results.row(SHM, ExecutorMode.DIRECT);
    ratioAim("streaming at least 4× grpc-netty TCP's messages/s", shm, nettyTcp,
        Metrics.streamMessages(small), "msgs/s at " + Report.size(small), 4, true);
    ratioAim("streaming at least 4× grpc-netty TCP's MB/s", shm, nettyTcp,
        Metrics.streamMegabytes(large), "MB/s at " + Report.size(large), 4, true);
    for (String transport : STREAM_TRANSPORTS) {
      Results.Row row = results.row(transport, ExecutorMode.DIRECT);
      Results.Row netty = row == null ? null : sameMedium(row);
      ratioAim("streaming at least 1.5× grpc-netty's messages/s, same medium", row, netty,
          Metrics.streamMessages(small), "msgs/s at " + Report.size(small), 1.5, true);
      ratioAim("streaming at least 1.2× grpc-netty's MB/s, same medium", row, netty,
          Metrics.streamMegabytes(large), "MB/s at " + Report.size(large), 1.2, true);
    }
    for (Results.Row row : plumbRows(ExecutorMode.DEFAULT)) {
      Results.Row netty = sameMedium(row);
      ratioAim("streaming no slower than grpc-netty, same medium", row, netty,
          Metrics.streamMessages(small), "msgs/s at " + Report.size(small), 1, true);
      ratioAim("streaming no slower than grpc-netty, same medium", row, netty,
          Metrics.streamMegabytes(large), "MB/s at " + Report.size(large), 1, true);
    }
  }

  /** unix: and pipe: blocking unary against the bare medium, direct. */
  private void socketUnary() {
    for (String transport : SOCKET_LIKE) {
      Results.Row row = results.row(transport, ExecutorMode.DIRECT);
      Results.Row raw = row == null ? null : results.rawFor(row.medium());
      ratioAim("blocking unary p50 at most 2× the raw round trip", row, raw,
          Metrics.latency(small, 50), "p50 at " + Report.size(small), 2, false);
      for (String side : List.of("client", "server")) {
        String metric = side.equals("client") ? Metrics.clientSwitches(small)
            : Metrics.serverSwitches(small);
        double value = row == null || raw == null ? Double.NaN
            : row.median(metric) - raw.median(metric);
        // 0.1 on top of the one hand-off: the JVM's own threads (GC, JIT, timers) wake too.
        boundAim("one thread hand-off per call at most: wake-ups beyond the raw round trip's",
            row, side + " wake-ups per call minus raw's", value, 1.1);
      }
    }
  }

  /**
   * The latency mode ({@code idle=poll}) of each socket transport against both ends of the same
   * medium busy-polling, direct.
   */
  private void latencyMode() {
    latencyMode("plumb tcp: poll", Configurations.RAW_TCP_POLLING);
    latencyMode("plumb unix: poll", Configurations.RAW_UDS_POLLING);
  }

  private void latencyMode(String configuration, String rawConfiguration) {
    Results.Row polling = results.row(configuration, ExecutorMode.DIRECT);
    Results.Row raw = results.row(rawConfiguration, null);
    ratioAim("latency mode: async unary p50 at most 1.5× the raw busy-polling round trip",
        polling, raw, Metrics.asyncLatency(small, 50), Metrics.latency(small, 50),
        "async p50 at " + Report.size(small), 1.5, false);
    ratioAim("latency mode: blocking unary p50 at most 1.5× the raw busy-polling round trip",
        polling, raw, Metrics.latency(small, 50), "p50 at " + Report.size(small), 1.5, false);
  }

  private void unaryAgainstNetty() {
    for (ExecutorMode mode : ExecutorMode.values()) {
      for (Results.Row row : plumbRows(mode)) {
        ratioAim("blocking unary p50 below grpc-netty's, same medium", row, sameMedium(row),
            Metrics.latency(small, 50), "p50 at " + Report.size(small), 1, false);
      }
    }
  }

  private void idle() {
    double windowMillis = run.settings().idleTime().toMillis();
    Results.Row shm = results.row(SHM, ExecutorMode.DIRECT);
    boundAim("an idle channel costs at most 1 % of a core, each side", shm,
        "server CPU ms over " + Report.number(windowMillis / 1000) + " s idle",
        shm == null ? Double.NaN : shm.median(Metrics.IDLE_SERVER_CPU),
        windowMillis * IDLE_CPU_SHARE);
    boundAim("an idle channel costs at most 1 % of a core, each side", shm,
        "client CPU ms over " + Report.number(windowMillis / 1000) + " s idle",
        shm == null ? Double.NaN : shm.median(Metrics.IDLE_CLIENT_CPU),
        windowMillis * IDLE_CPU_SHARE);
  }

  private List<Results.Row> plumbRows(ExecutorMode mode) {
    return results.rows().stream()
        .filter(r -> r.mode() == mode && r.configuration().startsWith("plumb"))
        .toList();
  }

  /**
   * grpc-netty over the row's medium (with TLS for a TLS row), or over TCP where grpc-netty has
   * no such transport.
   */
  private Results.Row sameMedium(Results.Row row) {
    Results.Row uds = results.row("grpc-netty UDS", row.mode());
    return row.medium() == Medium.UNIX_SOCKET && uds != null ? uds
        : results.row(Configurations.referenceFor(row.medium()), row.mode());
  }

  private void ratioAim(String aim, Results.Row row, Results.Row reference, String metric,
      String figure, double bound, boolean atLeast) {
    ratioAim(aim, row, reference, metric, metric, figure, bound, atLeast);
  }

  /**
   * {@code row}'s median of {@code metric} over {@code reference}'s median of
   * {@code referenceMetric}, at least or at most {@code bound}.
   */
  private void ratioAim(String aim, Results.Row row, Results.Row reference, String metric,
      String referenceMetric, String figure, double bound, boolean atLeast) {
    String against = reference == null ? "" : reference == row ? ""
        : " vs " + reference.name();
    double ratio = row == null || reference == null ? Double.NaN
        : row.median(metric) / reference.median(referenceMetric);
    line(aim, row, figure + against, Report.ratio(ratio) + "×",
        Double.isNaN(ratio) ? null : atLeast ? ratio >= bound : ratio <= bound);
  }

  private void boundAim(String aim, Results.Row row, String figure, double value,
      double bound) {
    line(aim, row, figure + " (≤ " + Report.number(bound) + ")",
        Double.isNaN(value) ? "–" : Report.number(value),
        Double.isNaN(value) ? null : value <= bound);
  }

  private void line(String aim, Results.Row row, String figure, String value, Boolean met) {
    out.line("| " + aim + " | " + (row == null ? "(not in this run)" : row.name()) + " | "
        + figure + " | " + value + " | " + (met == null ? "–" : met ? "yes" : "**no**") + " |");
  }
}
