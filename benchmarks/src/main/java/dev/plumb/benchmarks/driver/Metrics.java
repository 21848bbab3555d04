package dev.plumb.benchmarks.driver;

/** The names of the figures, as stored in {@link Results}. */
public final class Metrics {
  /** Unary latency percentiles, in this order in the tables. */
  public static final double[] PERCENTILES = {50, 90, 99, 99.9};

  public static final String THROUGHPUT = "unary/calls-per-s";
  public static final String THROUGHPUT_CLIENT_CPU = "unary/concurrent/client-cpu-us";
  public static final String THROUGHPUT_SERVER_CPU = "unary/concurrent/server-cpu-us";

  /** Seconds of warm-up of a repetition, and 1 if its JIT went quiet before the end, else 0. */
  public static final String WARMUP_SECONDS = "warmup/seconds";
  public static final String WARMUP_JIT_QUIET = "warmup/jit-quiet";

  /** The one large transfer: payload megabytes (10^6 bytes) per second, one direction. */
  public static final String TRANSFER = "transfer/MB-per-s";

  /**
   * Of the transfer row's shared-buffer way: 1 if the client read the server's own pages
   * ({@code SharedBufferView.isSharedMemory()}), 0 if a private copy that travelled inline.
   */
  public static final String DOWNLOAD_IN_PLACE = "download/shared-buffer/in-place";

  /**
   * An open, idle channel: CPU milliseconds each process used over the idle window, its JIT
   * compiler threads left out, and its threads' voluntary context switches (wake-ups).
   */
  public static final String IDLE_CLIENT_CPU = "idle/client-cpu-ms";
  public static final String IDLE_SERVER_CPU = "idle/server-cpu-ms";
  public static final String IDLE_CLIENT_SWITCHES = "idle/client-wakeups";
  public static final String IDLE_SERVER_SWITCHES = "idle/server-wakeups";

  private Metrics() {}

  /**
   * The transfer row, one way: mebibytes (2^20 bytes) per second of one transfer, the median of
   * a repetition's timed transfers.
   */
  public static String download(DownloadWay way) {
    return "download/" + way.key() + "/MiB-per-s";
  }

  /** Prefix of the CPU ms of each thread group over the idle window, one side. */
  public static String idleThreadsPrefix(String side) {
    return "idle/threads/" + side + "/";
  }

  /** Round-trip time in µs at {@code percentile}, one call outstanding. */
  public static String latency(int payload, double percentile) {
    return "latency/" + payload + "/p" + percentileLabel(percentile);
  }

  /**
   * Round-trip time in µs at {@code percentile} of async-stub calls one at a time, each issued
   * from the previous call's completion callback.
   */
  public static String asyncLatency(int payload, double percentile) {
    return "async/" + payload + "/p" + percentileLabel(percentile);
  }

  /** How many calls an async latency run made. */
  public static String asyncLatencyCalls(int payload) {
    return "async/" + payload + "/calls";
  }

  /** Voluntary context switches per call of the client process in the async latency run. */
  public static String asyncClientSwitches(int payload) {
    return "async/" + payload + "/client-switches";
  }

  public static String asyncServerSwitches(int payload) {
    return "async/" + payload + "/server-switches";
  }

  /** How many calls a latency run made (it may stop early at its time limit). */
  public static String latencyCalls(int payload) {
    return "latency/" + payload + "/calls";
  }

  public static String percentileLabel(double percentile) {
    return percentile == Math.rint(percentile) ? String.valueOf((int) percentile)
        : String.valueOf(percentile);
  }

  /** Streaming messages per second, one direction. */
  public static String streamMessages(int payload) {
    return "stream/" + payload + "/msgs-per-s";
  }

  /** Streaming payload megabytes (10^6 bytes) per second, one direction. */
  public static String streamMegabytes(int payload) {
    return "stream/" + payload + "/MB-per-s";
  }

  /** CPU µs per unary call (one outstanding) of the client process. */
  public static String clientCpu(int payload) {
    return "cost/" + payload + "/client-cpu-us";
  }

  public static String serverCpu(int payload) {
    return "cost/" + payload + "/server-cpu-us";
  }

  /** Bytes allocated per unary call (one outstanding) by all threads of the client process. */
  public static String clientAllocation(int payload) {
    return "cost/" + payload + "/client-alloc-bytes";
  }

  /** Voluntary context switches (threads blocking and being woken) per call, client process. */
  public static String clientSwitches(int payload) {
    return "cost/" + payload + "/client-switches";
  }

  public static String serverSwitches(int payload) {
    return "cost/" + payload + "/server-switches";
  }

  /** Prefix of {@link #threadCpu} for one payload and side ("client" or "server"). */
  public static String threadCpuPrefix(int payload, String side) {
    return "threads/" + payload + "/" + side + "/";
  }

  /** CPU µs per call of one group of threads (by name, see ThreadCpu) in a latency run. */
  public static String threadCpu(int payload, String side, String group) {
    return threadCpuPrefix(payload, side) + group;
  }

  public static String serverAllocation(int payload) {
    return "cost/" + payload + "/server-alloc-bytes";
  }
}
