package dev.plumb.benchmarks.driver;

import java.time.Duration;
import java.util.List;

/**
 * How much the driver does: repetitions, warm-up, call counts and durations. {@link #full()}
 * took 24 minutes for 21 rows (8 RPC configurations in two executor modes, 5 raw mechanisms)
 * on a quiet 2-core machine (docs/BENCHMARKS.md); {@link #quick()} takes one round, about
 * three minutes, and is a check that everything runs, not a measurement (the JIT is still
 * compiling); {@link #smoke()} is for the test that keeps the code path alive.
 *
 * @param repetitions how often each configuration runs, each time with a fresh server JVM;
 *     configurations take turns (round-robin), so a noisy minute hits them all alike
 * @param warmupCalls 16-byte unary calls before anything is timed, besides
 *     {@code warmupCalls / 10} of 4 KiB and {@code warmupCalls / 100} of 256 KiB
 * @param warmupLimit each of those three warm-up loops stops after this long, however many
 *     calls it has made (a very busy machine)
 * @param jitQuietLimit after that, warm-up goes on in slices of every kind of call until the
 *     JIT compiler threads of client and server are quiet, for at most this long (zero: not at
 *     all)
 * @param latencyCalls timed unary calls one at a time, one count per payload size, in the order
 *     of {@code payloads}
 * @param latencyLimit a latency run stops after this long even if it has made fewer calls
 * @param throughputTime how long the 32-calls-in-flight run lasts (after one as long to warm up)
 * @param streamTime how long each streaming run sends (after a third of it to warm up)
 * @param transferBytes the size of the one large transfer (after an eighth of it to warm up)
 * @param transferChunk the size of each message (RPC) or write (raw) of the transfer
 * @param downloadWarmups untimed transfers of the transfer row ({@link DownloadBenchmark}), of
 *     {@code transferBytes} each, each way, before the timed ones
 * @param downloads timed transfers of the transfer row, each way; its figure is their median
 * @param idleTime how long the channel stays open and idle for the idle-CPU figure
 * @param callDeadline the deadline every unary call and stream gets from its start, as
 *     production calls carry one (it costs each side a timer per call); zero: none
 * @param transferRowOnly measure the transfer row alone ({@link #withTransferRowOnly})
 */
public record Settings(String name, int repetitions, int warmupCalls, Duration warmupLimit,
    Duration jitQuietLimit, List<Integer> payloads,
    List<Integer> latencyCalls, Duration latencyLimit, int concurrentCalls,
    Duration throughputTime, Duration streamTime, long transferBytes, int transferChunk,
    int downloadWarmups, int downloads, Duration idleTime, Duration callDeadline,
    boolean transferRowOnly) {

  public static final List<Integer> PAYLOADS = List.of(16, 4096, 256 * 1024);
  private static final int MIB = 1 << 20;

  public Settings {
    if (payloads.size() != latencyCalls.size()) {
      throw new IllegalArgumentException("one latency call count per payload size");
    }
    if (transferChunk <= 0 || transferBytes < transferChunk || transferBytes % transferChunk != 0) {
      throw new IllegalArgumentException("the transfer must be a whole number of chunks: "
          + transferBytes + " B in chunks of " + transferChunk + " B");
    }
    if (downloadWarmups < 0 || downloads < 1) {
      throw new IllegalArgumentException("the transfer row needs at least one timed transfer: "
          + downloadWarmups + " untimed, " + downloads + " timed");
    }
  }

  /**
   * Unary calls of the fixed warm-up for the payload at {@code index}: {@code warmupCalls}
   * for the smallest, a tenth as many for the next, a hundredth for the next (at least one).
   */
  public int warmupCalls(int index) {
    return Math.max(1, (int) (warmupCalls / Math.pow(10, index)));
  }

  /** The warm-up's transfer: an eighth of the measured one, in whole chunks (at least one). */
  public long warmupTransferBytes() {
    return Math.max(1, transferBytes / transferChunk / 8) * transferChunk;
  }

  public Settings withRepetitions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1, not " + count);
    }
    return new Settings(name, count, warmupCalls, warmupLimit, jitQuietLimit, payloads,
        latencyCalls, latencyLimit, concurrentCalls, throughputTime, streamTime, transferBytes,
        transferChunk, downloadWarmups, downloads, idleTime, callDeadline, transferRowOnly);
  }

  /** These settings with every call given {@code deadline} ({@link Duration#ZERO}: none). */
  public Settings withCallDeadline(Duration deadline) {
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("a deadline cannot be negative: " + deadline);
    }
    return new Settings(name, repetitions, warmupCalls, warmupLimit, jitQuietLimit, payloads,
        latencyCalls, latencyLimit, concurrentCalls, throughputTime, streamTime, transferBytes,
        transferChunk, downloadWarmups, downloads, idleTime, deadline, transferRowOnly);
  }

  /**
   * These settings measuring the transfer row alone: each RPC configuration with the row runs
   * only its transfers (their own untimed ones warm them up), the others nothing.
   */
  public Settings withTransferRowOnly() {
    return new Settings(name, repetitions, warmupCalls, warmupLimit, jitQuietLimit, payloads,
        latencyCalls, latencyLimit, concurrentCalls, throughputTime, streamTime, transferBytes,
        transferChunk, downloadWarmups, downloads, idleTime, callDeadline, true);
  }

  public static Settings full() {
    return new Settings("full", 2, 20_000, Duration.ofSeconds(15), Duration.ofSeconds(10),
        PAYLOADS,
        List.of(20_000, 10_000, 1_000), Duration.ofSeconds(5), 32, Duration.ofSeconds(2),
        Duration.ofSeconds(2), 256L * MIB, MIB, 2, 5, Duration.ofSeconds(10),
        Duration.ZERO, false);
  }

  public static Settings quick() {
    return new Settings("quick", 1, 500, Duration.ofSeconds(1), Duration.ZERO, PAYLOADS,
        List.of(300, 100, 10), Duration.ofSeconds(1), 32, Duration.ofMillis(200),
        Duration.ofMillis(200), 16L * MIB, MIB, 1, 3, Duration.ofSeconds(2),
        Duration.ZERO, false);
  }

  /** Tiny counts for the smoke test: the code path, not the numbers. */
  public static Settings smoke() {
    return new Settings("smoke", 2, 200, Duration.ofSeconds(2), Duration.ofMillis(1), PAYLOADS,
        List.of(100, 50, 5), Duration.ofSeconds(2), 8, Duration.ofMillis(100),
        Duration.ofMillis(100), 4L * MIB, MIB, 1, 2, Duration.ofMillis(300),
        Duration.ZERO, false);
  }
}
