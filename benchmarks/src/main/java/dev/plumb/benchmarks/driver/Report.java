package dev.plumb.benchmarks.driver;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Markdown report of a {@link Run}: the circumstances, the aims the benchmarks were set
 * with their ratios, then one table per measurement with a twin table of ratios. A cell is the
 * median of the repetitions with [min–max]; a ratio is a median divided by the reference's
 * median from the same run.
 */
public final class Report {
  private static final String DASH = "–";

  private final Run run;
  private final Results results;
  private final Lines out = new Lines();

  /** The report's text, line by line; the sections of other classes write into it too. */
  static final class Lines {
    private final StringBuilder text = new StringBuilder();

    void line(String line) {
      text.append(line).append('\n');
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  private Report(Run run) {
    this.run = run;
    this.results = run.results();
  }

  public static String markdown(Run run) {
    return new Report(run).write();
  }

  private String write() {
    header();
    Aims.write(run, out);
    SideBySide.write(run, out);
    warmUp();
    latency();
    asyncLatency();
    throughput();
    streaming();
    transfer();
    download();
    idle();
    cost();
    threads();
    failures();
    return out.toString();
  }

  private void header() {
    Settings s = run.settings();
    int cores = Runtime.getRuntime().availableProcessors();
    line("# Plumb benchmarks: " + s.name() + " run");
    line("");
    line("- Date: " + DateTimeFormatter.ISO_INSTANT.format(
        run.started().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)) + ", took "
        + String.format(Locale.ROOT, "%.1f", run.elapsed().toMillis() / 60_000.0) + " min.");
    line("- JDK " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vm.vendor")
        + "), " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch") + ", " + cores + " cores.");
    line("- Load average (1 min): " + load(run.loadBefore()) + " at the start, "
        + load(run.loadAfter()) + " at the end"
        + (Math.max(run.loadBefore(), run.loadAfter()) >= 1.0
            ? ": the machine was busy with other work, so figures are noisy." : "."));
    line("- " + s.repetitions() + (s.repetitions() == 1 ? " repetition" : " repetitions")
        + " per configuration, each with a fresh server JVM "
        + "(" + String.join(" ", ServerJvm.SERVER_JVM_OPTIONS) + ") and channel; "
        + "configurations take turns. Warm-up per repetition: " + s.warmupCalls()
        + " unary calls of 16 B, " + s.warmupCalls() / 10 + " of 4 KiB, "
        + Math.max(1, s.warmupCalls() / 100) + " of 256 KiB, then every other measurement once"
        + (s.jitQuietLimit().isZero() ? "." : ", then until the JIT is quiet (at most "
            + s.jitQuietLimit().toSeconds() + " s more; see Warm-up)."));
    line("- Executors: every RPC configuration runs in two modes, with the same choice on both "
        + "sides: **direct** (`directExecutor()` on the server and the channel builder: the "
        + "application's callbacks run on the transport's thread) and **default** (gRPC's "
        + "default executors, a thread pool per side).");
    line("- Deadlines: " + (s.callDeadline().isZero() ? "none; calls and streams have no deadline."
        : "every call and stream has one of " + s.callDeadline().toSeconds() + " s from its start"
            + " (a timer per call on each side)."));
    line("- Cells: median of the repetitions [min–max]. Ratios: a median divided by the median "
        + "of the reference in this run; **vs netty** = " + Configurations.REFERENCE
        + " (TLS rows: " + Configurations.REFERENCE_TLS + ") in the same executor mode (raw "
        + "rows: direct), **vs raw** = the raw mechanism of the same medium (no RPC; none for "
        + "TLS). Times, CPU and bytes: lower is better. Rates: higher is "
        + "better.");
    line("");
  }

  private void warmUp() {
    if (run.settings().jitQuietLimit().isZero()) {
      return;
    }
    line("## Warm-up");
    line("");
    line("After the fixed warm-up, each repetition goes on warming up in one-second slices of "
        + "every kind of call until the JIT compiler threads of client and server used under "
        + "2 % of a slice, for at most " + run.settings().jitQuietLimit().toSeconds() + " s. "
        + "\"JIT quiet\": in how many repetitions that happened.");
    line("");
    line("| configuration | warm-up s | JIT quiet |");
    line("|---|---|---|");
    for (Results.Row row : results.rows()) {
      if (row.raw()) {
        continue;
      }
      List<Double> quiet = row.values(Metrics.WARMUP_JIT_QUIET);
      long quietCount = quiet.stream().filter(v -> v > 0).count();
      line("| " + row.name() + " | " + cell(row, Metrics.WARMUP_SECONDS) + " | " + quietCount
          + " of " + quiet.size() + " |");
    }
    line("");
  }

  private void latency() {
    line("## Unary round trip, one call outstanding, blocking stub (µs)");
    line("");
    line("Raw rows: a length-prefixed message and its echo over the bare medium, both sides "
        + "blocking in reads. Calls: timed calls per repetition (median); a run stops early "
        + "after " + run.settings().latencyLimit().toSeconds() + " s.");
    line("");
    String head = percentilesHead("| configuration | payload |");
    line(head + " calls |");
    line("|---|---|" + "---|".repeat(Metrics.PERCENTILES.length + 1));
    for (Results.Row row : results.rows()) {
      for (int size : run.settings().payloads()) {
        StringBuilder cells = new StringBuilder("| " + row.name() + " | " + size(size) + " |");
        for (double p : Metrics.PERCENTILES) {
          cells.append(' ').append(cell(row, Metrics.latency(size, p))).append(" |");
        }
        cells.append(' ').append(number(row.median(Metrics.latencyCalls(size)))).append(" |");
        line(cells.toString());
      }
    }
    line("");
    line("Ratios (vs netty / vs raw):");
    line("");
    line(head);
    line("|---|---|" + "---|".repeat(Metrics.PERCENTILES.length));
    for (Results.Row row : results.rows()) {
      for (int size : run.settings().payloads()) {
        StringBuilder cells = new StringBuilder("| " + row.name() + " | " + size(size) + " |");
        for (double p : Metrics.PERCENTILES) {
          cells.append(' ').append(ratios(row, Metrics.latency(size, p))).append(" |");
        }
        line(cells.toString());
      }
    }
    line("");
  }

  private void asyncLatency() {
    int size = run.settings().payloads().get(0);
    line("## Unary round trip, one call outstanding, async stub, " + size(size) + " (µs)");
    line("");
    line("Each call is issued from the completion callback of the call before it (the thread "
        + "that callback runs on: the transport's in direct mode, a pool thread in default "
        + "mode), timed from issue to completion. Wake-ups: voluntary context switches per "
        + "call of all the process's threads. Ratios: p50 against "
        + Configurations.REFERENCE + " and " + Configurations.IN_PROCESS
        + " in the same mode.");
    line("");
    line(percentilesHead("| configuration |") + " calls | client wake-ups | server wake-ups | p50 vs netty | p50 vs in-process |");
    line("|---|" + "---|".repeat(Metrics.PERCENTILES.length + 5));
    for (Results.Row row : results.rows()) {
      if (row.raw()) {
        continue;
      }
      StringBuilder cells = new StringBuilder("| " + row.name() + " |");
      for (double p : Metrics.PERCENTILES) {
        cells.append(' ').append(cell(row, Metrics.asyncLatency(size, p))).append(" |");
      }
      String p50 = Metrics.asyncLatency(size, 50);
      line(cells + " " + number(row.median(Metrics.asyncLatencyCalls(size))) + " | "
          + cell(row, Metrics.asyncClientSwitches(size)) + " | "
          + serverCell(row, Metrics.asyncServerSwitches(size)) + " | "
          + ratio(ratio(row, reference(row), p50)) + " | "
          + ratio(ratio(row, results.row(Configurations.IN_PROCESS, row.mode()), p50)) + " |");
    }
    line("");
  }

  private void throughput() {
    line("## Unary throughput, " + run.settings().concurrentCalls()
        + " async calls in flight, 16 B");
    line("");
    line("CPU per call: the process's CPU time (all threads) during the run divided by the calls.");
    line("");
    line("| configuration | calls/s | vs netty | client CPU µs/call | vs netty | "
        + "server CPU µs/call | vs netty |");
    line("|---|---|---|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      if (row.raw()) {
        continue;
      }
      Results.Row netty = reference(row);
      line("| " + row.name() + " | " + cell(row, Metrics.THROUGHPUT) + " | "
          + ratio(ratio(row, netty, Metrics.THROUGHPUT)) + " | "
          + cell(row, Metrics.THROUGHPUT_CLIENT_CPU) + " | "
          + ratio(ratio(row, netty, Metrics.THROUGHPUT_CLIENT_CPU)) + " | "
          + serverCell(row, Metrics.THROUGHPUT_SERVER_CPU) + " | "
          + ratio(ratio(row, netty, Metrics.THROUGHPUT_SERVER_CPU)) + " |");
    }
    line("");
  }

  private void streaming() {
    line("## Streaming: one bidi stream, the server echoes, flow control honoured");
    line("");
    line("Messages and payload megabytes (10^6 B) per second in one direction; the medium "
        + "carries as much again back. Raw rows: one thread writes messages, each with one "
        + "write call, another reads the echoes. The MB/s ratios equal the msgs/s ratios.");
    line("");
    line("| configuration | payload | msgs/s | MB/s | vs netty | vs raw |");
    line("|---|---|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      Results.Row netty = reference(row);
      for (int size : run.settings().payloads()) {
        String metric = Metrics.streamMessages(size);
        line("| " + row.name() + " | " + size(size) + " | " + cell(row, metric) + " | "
            + cell(row, Metrics.streamMegabytes(size)) + " | "
            + ratio(ratio(row, netty, metric)) + " | "
            + ratio(ratio(row, rawOf(row), metric)) + " |");
      }
    }
    line("");
  }

  private void transfer() {
    Settings s = run.settings();
    line("## One large transfer: " + bytes(s.transferBytes()) + " in " + bytes(s.transferChunk())
        + " messages, one direction");
    line("");
    line("Payload megabytes (10^6 B) per second, from the first byte sent until the receiver "
        + "confirmed the total. RPC rows: one client-streaming Upload call, sent while the call "
        + "is ready (flow control); raw rows: one write call per chunk, the server reads and "
        + "drops them and answers with the count.");
    line("");
    line("| configuration | MB/s | vs netty | vs raw |");
    line("|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      line("| " + row.name() + " | " + cell(row, Metrics.TRANSFER) + " | "
          + ratio(ratio(row, reference(row), Metrics.TRANSFER)) + " | "
          + ratio(ratio(row, rawOf(row), Metrics.TRANSFER)) + " |");
    }
    line("");
  }

  private void download() {
    Settings s = run.settings();
    String shared = Metrics.download(DownloadWay.SHARED_BUFFER);
    String chunks = Metrics.download(DownloadWay.CHUNKS);
    List<Results.Row> rows = results.rows().stream()
        .filter(row -> !row.values(shared).isEmpty() || !row.values(chunks).isEmpty()).toList();
    if (rows.isEmpty()) {
      return;
    }
    line("## The transfer row: " + bytes(s.transferBytes())
        + " from one process to another, checked");
    line("");
    line("The client gets data that the server made before anything was timed (pseudo-random "
        + "bytes, made once per server JVM, in its heap and in a sealed shared buffer), and "
        + "checks every transfer: the CRC32C of the bytes it received, in order, must equal the "
        + "server's, or the repetition fails. **Shared buffer**: one unary call answers with a "
        + "`plumb.SharedBytes` naming the server's buffer; the client opens it, checksums it in "
        + "place and closes it. The time includes the call, the mapping and the first touch of "
        + "every page. *In place*: the client read the server's own pages (the link passed the "
        + "descriptor); *private copy*: the bytes travelled inline beside the answer. "
        + "**Chunks**: one server-streaming call of " + size(DownloadBenchmark.CHUNK)
        + " messages, slices of the server's heap copy, sent while the call is ready; the "
        + "client checksums each as it arrives, gRPC's flow control pacing the server. "
        + "MiB/s: mebibytes (2^20 B) per second of one transfer, the median of "
        + s.downloads() + " timed transfers after " + s.downloadWarmups() + " untimed ones per "
        + "way and repetition. Ratios: against " + Configurations.REFERENCE + "'s chunks in the "
        + "same executor mode.");
    line("");
    line("| configuration | shared buffer MiB/s | read | vs netty | chunks MiB/s | vs netty |");
    line("|---|---|---|---|---|---|");
    for (Results.Row row : rows) {
      Results.Row netty = results.row(Configurations.REFERENCE, row.mode());
      double nettyChunks = netty == null ? Double.NaN : netty.median(chunks);
      line("| " + row.name() + " | " + cell(row, shared) + " | " + inPlace(row) + " | "
          + ratio(row.median(shared) / nettyChunks) + " | " + cell(row, chunks) + " | "
          + ratio(row.median(chunks) / nettyChunks) + " |");
    }
    line("");
  }

  /** How the shared-buffer transfers were read: in place, a private copy, or both. */
  private static String inPlace(Results.Row row) {
    String metric = Metrics.DOWNLOAD_IN_PLACE;
    if (row.values(metric).isEmpty()) {
      return DASH;
    }
    if (row.min(metric) != row.max(metric)) {
      return "both";
    }
    return row.min(metric) > 0 ? "in place" : "private copy";
  }

  private void idle() {
    line("## Idle channel: CPU over " + seconds(run.settings().idleTime())
        + " with nothing sent");
    line("");
    line("After a call, the channel stays open and idle; CPU milliseconds each process used "
        + "over that window (Linux /proc, 10 ms ticks, so 0 means under 10 ms), the JIT compiler "
        + "threads left out (they may still compile what ran before), and wake-ups (voluntary "
        + "context switches of all its threads). The client is the driver's JVM. Raw rows "
        + "whose ends block in reads are not measured: they cost nothing idle by construction. "
        + "Thread groups: the median CPU ms of each group that used any, JIT included.");
    line("");
    line("| configuration | client CPU ms | server CPU ms | client wake-ups | server wake-ups "
        + "| server thread groups, ms | client thread groups, ms |");
    line("|---|---|---|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      if (row.values(Metrics.IDLE_CLIENT_CPU).isEmpty()) {
        continue;
      }
      int repetitions = row.values(Metrics.IDLE_CLIENT_CPU).size();
      line("| " + row.name() + " | " + cell(row, Metrics.IDLE_CLIENT_CPU) + " | "
          + serverCell(row, Metrics.IDLE_SERVER_CPU) + " | "
          + cell(row, Metrics.IDLE_CLIENT_SWITCHES) + " | "
          + serverCell(row, Metrics.IDLE_SERVER_SWITCHES) + " | "
          + (row.serverInThisJvm() ? "(in client)"
              : groups(row, Metrics.idleThreadsPrefix("server"), repetitions, 10)) + " | "
          + groups(row, Metrics.idleThreadsPrefix("client"), repetitions, 10) + " |");
    }
    line("");
  }

  private void cost() {
    line("## Cost per unary call, one call outstanding");
    line("");
    line("From the latency runs above, per call. CPU: the process's CPU time (all threads). "
        + "Wake-ups: voluntary context switches of all its threads (Linux /proc), i.e. how often "
        + "a thread blocked and had to be woken: the hand-offs of a call. Allocation: bytes "
        + "allocated by all its threads (ThreadMXBean; a thread that ended counts with what it "
        + "had at the last reading). The server's figures come from a "
        + "Stats call before and after the run (raw servers: CPU and wake-ups from /proc, "
        + "allocation not measured). In-process: the server runs in the client's JVM, so the "
        + "client's figures include it.");
    line("");
    String head = "| configuration | payload | client CPU µs | server CPU µs | client wake-ups "
        + "| server wake-ups | client alloc B | server alloc B |";
    line(head);
    line("|---|---|---|---|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      for (int size : run.settings().payloads()) {
        line("| " + row.name() + " | " + size(size) + " | " + cell(row, Metrics.clientCpu(size))
            + " | " + serverCell(row, Metrics.serverCpu(size)) + " | "
            + cell(row, Metrics.clientSwitches(size)) + " | "
            + serverCell(row, Metrics.serverSwitches(size)) + " | "
            + cell(row, Metrics.clientAllocation(size)) + " | "
            + serverCell(row, Metrics.serverAllocation(size)) + " |");
      }
    }
    line("");
    line("Ratios (vs netty / vs raw):");
    line("");
    line(head);
    line("|---|---|---|---|---|---|---|---|");
    for (Results.Row row : results.rows()) {
      for (int size : run.settings().payloads()) {
        line("| " + row.name() + " | " + size(size) + " | " + ratios(row, Metrics.clientCpu(size))
            + " | " + ratios(row, Metrics.serverCpu(size)) + " | "
            + ratios(row, Metrics.clientSwitches(size)) + " | "
            + ratios(row, Metrics.serverSwitches(size)) + " | "
            + ratios(row, Metrics.clientAllocation(size)) + " | "
            + ratios(row, Metrics.serverAllocation(size)) + " |");
      }
    }
    line("");
  }

  private void threads() {
    int size = run.settings().payloads().get(0);
    line("## Where the CPU goes: µs per call by thread group, " + size(size) + " latency run");
    line("");
    line("From Linux's /proc/PID/task/*/stat (10 ms ticks), threads grouped by name with "
        + "numbers removed (the kernel keeps 15 characters of a name). Median over the "
        + "repetitions, a repetition where a group used nothing counting as 0; groups under "
        + "0.5 µs per call are left out. JIT compiler and GC threads appear here, which the "
        + "totals above include too.");
    line("");
    line("| configuration | side | thread groups, CPU µs per call |");
    line("|---|---|---|");
    for (Results.Row row : results.rows()) {
      int repetitions = row.values(Metrics.latency(size, 50)).size();
      for (String side : List.of("server", "client")) {
        if (side.equals("server") && row.serverInThisJvm()) {
          continue;
        }
        line("| " + row.name() + " | " + side + " | "
            + groups(row, Metrics.threadCpuPrefix(size, side), repetitions, 0.5) + " |");
      }
    }
    line("");
  }

  /**
   * The thread groups under {@code prefix}, largest first, each with its median over
   * {@code repetitions} (a repetition where the group used nothing counts as 0); groups under
   * {@code threshold} are left out.
   */
  private static String groups(Results.Row row, String prefix, int repetitions,
      double threshold) {
    List<Map.Entry<String, Double>> groups = new ArrayList<>();
    for (String metric : row.metrics()) {
      if (metric.startsWith(prefix)) {
        List<Double> values = new ArrayList<>(row.values(metric));
        while (values.size() < repetitions) {
          values.add(0.0);
        }
        double median = Results.median(values);
        if (median >= threshold) {
          groups.add(Map.entry(metric.substring(prefix.length()), median));
        }
      }
    }
    groups.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Double> group : groups) {
      text.append(text.length() == 0 ? "" : ", ").append('`').append(group.getKey())
          .append("` ").append(number(group.getValue()));
    }
    return text.length() == 0 ? DASH : text.toString();
  }

  private void failures() {
    List<String> failures = results.failures();
    if (failures.isEmpty()) {
      return;
    }
    line("## Failed repetitions (left out of the figures)");
    line("");
    for (String failure : failures) {
      line("- " + failure.replace('\n', ' '));
    }
    line("");
  }

  // ---- helpers

  /** A table head: {@code first}, then one column per percentile. */
  private static String percentilesHead(String first) {
    StringBuilder head = new StringBuilder(first);
    for (double p : Metrics.PERCENTILES) {
      head.append(" p").append(Metrics.percentileLabel(p)).append(" |");
    }
    return head.toString();
  }

  /** The reference row in {@code row}'s executor mode (direct for a raw row). */
  private Results.Row reference(Results.Row row) {
    return results.row(Configurations.referenceFor(row.medium()),
        row.raw() ? ExecutorMode.DIRECT : row.mode());
  }

  /** The raw row of the row's medium, or null for a raw row itself (no ratio to itself). */
  private Results.Row rawOf(Results.Row row) {
    return row.raw() ? null : results.rawFor(row.medium());
  }

  private String ratios(Results.Row row, String metric) {
    return ratio(ratio(row, reference(row), metric)) + " / "
        + ratio(ratio(row, rawOf(row), metric));
  }

  static double ratio(Results.Row row, Results.Row reference, String metric) {
    if (row == null || reference == null) {
      return Double.NaN;
    }
    double denominator = reference.median(metric);
    return denominator > 0 ? row.median(metric) / denominator : Double.NaN;
  }

  static String serverCell(Results.Row row, String metric) {
    return row.serverInThisJvm() ? "(in client)" : cell(row, metric);
  }

  static String cell(Results.Row row, String metric) {
    return cell(row.values(metric).size(), row.median(metric), row.min(metric), row.max(metric),
        Report::number);
  }

  public static String cell(int count, double median, double min, double max,
      Function<Double, String> format) {
    if (count == 0 || Double.isNaN(median)) {
      return DASH;
    }
    if (count == 1) {
      return format.apply(median);
    }
    return format.apply(median) + " [" + format.apply(min) + "–" + format.apply(max) + "]";
  }

  /** Three significant figures or so, thousands grouped. */
  public static String number(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (magnitude >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (magnitude >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  public static String ratio(double ratio) {
    return Double.isNaN(ratio) || Double.isInfinite(ratio) ? DASH
        : String.format(Locale.ROOT, "%.2f", ratio);
  }

  public static String size(int bytes) {
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " B";
  }

  /** A byte count as MiB or KiB when whole, else bytes. */
  public static String bytes(long count) {
    if (count >= 1 << 20 && count % (1 << 20) == 0) {
      return count / (1 << 20) + " MiB";
    }
    return size((int) Math.min(Integer.MAX_VALUE, count));
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String load(double load) {
    return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
  }

  private void line(String text) {
    out.line(text);
  }
}
