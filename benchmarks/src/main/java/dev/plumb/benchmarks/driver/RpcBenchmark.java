package dev.plumb.benchmarks.driver;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import dev.plumb.benchmarks.proto.ProcessStats;
import dev.plumb.benchmarks.proto.StatsRequest;
import dev.plumb.benchmarks.server.ProcessMeter;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one RPC configuration, one repetition: a warm-up of every code path, then
 * unary latency per payload (with CPU and allocation per call), unary throughput with many calls
 * in flight, and bidi streaming per payload.
 */
// "try": a Watchdog is held by try-with-resources only to be disarmed at the end of a phase.
@SuppressWarnings("try")
final class RpcBenchmark {
  /** Slack on top of a phase's planned time before the watchdog ends it. */
  private static final Duration SLACK = Duration.ofSeconds(60);
  private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** The compilers' share of a warm-up slice under which the JIT counts as quiet. */
  private static final int QUIET_SHARE_PERCENT = 2;

  private final RpcConfiguration.Endpoint endpoint;
  private final ManagedChannel channel;
  private final Settings settings;
  private final EchoGrpc.EchoBlockingStub blocking;
  private final EchoGrpc.EchoStub async;
  private final PhaseClock phases = new PhaseClock();
  /** Whether the last warm-up ended with the JIT compilers quiet. */
  private boolean jitQuiet;
  /** The compilers' CPU in the last warm-up slice, as a share of the slice's time. */
  private double lastCompileShare = Double.NaN;

  RpcBenchmark(RpcConfiguration.Endpoint endpoint, Settings settings) {
    this.endpoint = endpoint;
    this.channel = endpoint.channel();
    this.settings = settings;
    this.blocking = EchoGrpc.newBlockingStub(channel);
    this.async = EchoGrpc.newStub(channel);
  }

  /** Warms up, measures, and puts the figures (metric name to value) into {@code figures}. */
  void run(Map<String, Double> figures) throws Exception {
    phases.start();
    long warmUpStart = System.nanoTime();
    warmUp();
    figures.put(Metrics.WARMUP_SECONDS, (System.nanoTime() - warmUpStart) / 1e9);
    figures.put(Metrics.WARMUP_JIT_QUIET, jitQuiet ? 1.0 : 0.0);
    phases.lap(Double.isNaN(lastCompileShare) ? "warm-up" : String.format(Locale.ROOT,
        "warm-up (JIT compiling %.0f%% of the last slice)", lastCompileShare * 100));
    for (int i = 0; i < settings.payloads().size(); i++) {
      int size = settings.payloads().get(i);
      Latency latency = latency(size, settings.latencyCalls().get(i));
      for (double percentile : Metrics.PERCENTILES) {
        figures.put(Metrics.latency(size, percentile),
            latency.histogram.getValueAtPercentile(percentile) / 1_000.0);
      }
      figures.put(Metrics.latencyCalls(size), (double) latency.calls);
      figures.put(Metrics.clientCpu(size), latency.client.cpuNanos() / 1e3 / latency.calls);
      figures.put(Metrics.clientAllocation(size),
          (double) latency.client.allocatedBytes() / latency.calls);
      putSwitches(figures, Metrics.clientSwitches(size), latency.client, latency.calls);
      putThreads(figures, size, "client", latency.clientThreads, latency.calls);
      putThreads(figures, size, "server", latency.serverThreads, latency.calls);
      if (!endpoint.serverInThisJvm()) {
        putSwitches(figures, Metrics.serverSwitches(size), latency.server, latency.calls);
        figures.put(Metrics.serverCpu(size),
            latency.server.cpuNanos() / 1e3 / latency.calls);
        figures.put(Metrics.serverAllocation(size),
            (double) latency.server.allocatedBytes() / latency.calls);
      }
    }
    phases.lap("latency");
    Throughput throughput = throughput(settings.throughputTime());
    figures.put(Metrics.THROUGHPUT, throughput.callsPerSecond);
    figures.put(Metrics.THROUGHPUT_CLIENT_CPU,
        throughput.client.cpuNanos() / 1e3 / throughput.calls);
    if (!endpoint.serverInThisJvm()) {
      figures.put(Metrics.THROUGHPUT_SERVER_CPU,
          throughput.server.cpuNanos() / 1e3 / throughput.calls);
    }
    phases.lap("throughput");
    for (int size : settings.payloads()) {
      Stream stream = stream(size, settings.streamTime());
      figures.put(Metrics.streamMessages(size), stream.messagesPerSecond());
      figures.put(Metrics.streamMegabytes(size), stream.megabytesPerSecond());
    }
    phases.lap("streaming");
  }

  /** How long each phase took, for the progress log. */
  String phases() {
    return phases.toString();
  }

  /**
   * Every measured code path, untimed: JIT on two busy cores needs a lot of it. Each unary loop
   * stops at its call count or at {@code warmupLimit}, whichever comes first.
   */
  private void warmUp() throws Exception {
    int[] sizes = {16, 4096, 256 * 1024};
    int[] calls = {settings.warmupCalls(), settings.warmupCalls() / 10,
        Math.max(1, settings.warmupCalls() / 100)};
    for (int i = 0; i < sizes.length; i++) {
      Payload request = payload(sizes[i]);
      long stopAt = System.nanoTime() + settings.warmupLimit().toNanos();
      try (Watchdog watchdog = watch(settings.warmupLimit())) {
        for (int call = 0; call < calls[i] && System.nanoTime() < stopAt; call++) {
          check(blocking.unary(request), sizes[i]);
        }
      }
    }
    throughput(settings.throughputTime());
    for (int size : settings.payloads()) {
      stream(size, settings.streamTime().dividedBy(3));
    }
    awaitQuietJit();
  }

  /**
   * Goes on warming up, in slices of every measured kind of call, until the JIT compiler threads
   * of both processes used under {@value #QUIET_SHARE_PERCENT}% of a slice, or for at most
   * {@code jitQuietLimit}. On two busy cores C2 is still compiling long after a fixed warm-up,
   * and what it spends lands in the figures. Records whether it went quiet and how long the
   * whole warm-up took.
   */
  private void awaitQuietJit() throws Exception {
    long deadline = System.nanoTime() + settings.jitQuietLimit().toNanos();
    long clientPid = ProcessHandle.current().pid();
    long serverPid = endpoint.serverInThisJvm() ? -1 : serverStats().getPid();
    jitQuiet = false;
    if (settings.jitQuietLimit().isZero()) {
      return;
    }
    do {
      Map<String, Long> clientBefore = ThreadCpu.read(clientPid);
      Map<String, Long> serverBefore = serverPid < 0 ? Map.of() : ThreadCpu.read(serverPid);
      long start = System.nanoTime();
      warmUpSlice();
      long slice = System.nanoTime() - start;
      long compiling = compilerNanos(ThreadCpu.difference(ThreadCpu.read(clientPid),
          clientBefore));
      if (serverPid >= 0) {
        compiling += compilerNanos(ThreadCpu.difference(ThreadCpu.read(serverPid),
            serverBefore));
      }
      lastCompileShare = (double) compiling / slice;
      if (compiling * 100 <= slice * QUIET_SHARE_PERCENT) {
        jitQuiet = true;
        return;
      }
    } while (System.nanoTime() < deadline);
  }

  /** About a second of every kind of call the measurements make. */
  private void warmUpSlice() throws Exception {
    long[] shares = {500, 150, 0};
    int[] sizes = {16, 4096, 256 * 1024};
    for (int i = 0; i < sizes.length; i++) {
      Payload request = payload(sizes[i]);
      long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shares[i]);
      try (Watchdog watchdog = watch(Duration.ofSeconds(1))) {
        int call = 0;
        do {
          check(blocking.unary(request), sizes[i]);
        } while (++call < 3 || System.nanoTime() < stopAt);
      }
    }
    throughput(Duration.ofMillis(100));
    for (int size : settings.payloads()) {
      stream(size, Duration.ofMillis(80));
    }
  }

  private static long compilerNanos(Map<String, Long> threads) {
    long nanos = 0;
    for (Map.Entry<String, Long> group : threads.entrySet()) {
      if (group.getKey().contains("CompilerThre")) {
        nanos += group.getValue();
      }
    }
    return nanos;
  }

  private Latency latency(int size, int calls) {
    Payload request = payload(size);
    Histogram histogram = new Histogram(HISTOGRAM_MAX_NANOS, 3);
    ProcessStats serverBefore = serverStats();
    long clientPid = ProcessHandle.current().pid();
    Map<String, Long> serverThreadsBefore = endpoint.serverInThisJvm() ? Map.of()
        : ThreadCpu.read(serverBefore.getPid());
    Map<String, Long> clientThreadsBefore = ThreadCpu.read(clientPid);
    ProcessMeter.Reading clientBefore = ProcessMeter.read();
    long stopAt = System.nanoTime() + settings.latencyLimit().toNanos();
    int made = 0;
    try (Watchdog watchdog = watch(settings.latencyLimit())) {
      while (made < calls && (made < 10 || System.nanoTime() < stopAt)) {
        long start = System.nanoTime();
        Payload response = blocking.unary(request);
        long end = System.nanoTime();
        histogram.recordValue(Math.min(end - start, HISTOGRAM_MAX_NANOS));
        check(response, size);
        made++;
      }
    }
    ProcessMeter.Reading client = ProcessMeter.read().minus(clientBefore);
    Map<String, Long> clientThreads =
        ThreadCpu.difference(ThreadCpu.read(clientPid), clientThreadsBefore);
    Map<String, Long> serverThreads = endpoint.serverInThisJvm() ? Map.of()
        : ThreadCpu.difference(ThreadCpu.read(serverBefore.getPid()), serverThreadsBefore);
    ProcessStats serverAfter = serverStats();
    return new Latency(histogram, made, client, difference(serverAfter, serverBefore),
        clientThreads, serverThreads);
  }

  /** {@code concurrentCalls} async unary calls in flight for {@code time}: calls per second. */
  private Throughput throughput(Duration time) throws Exception {
    Payload request = payload(16);
    AtomicLong completed = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(settings.concurrentCalls());
    class Caller implements StreamObserver<Payload> {
      volatile boolean stop;

      void call() {
        async.unary(request, this);
      }

      @Override
      public void onNext(Payload response) {
        if (response.getData().size() != 16) {
          failure.compareAndSet(null, new IllegalStateException("wrong echo size"));
        }
      }

      @Override
      public void onError(Throwable t) {
        failure.compareAndSet(null, t);
        stopped.countDown();
      }

      @Override
      public void onCompleted() {
        completed.incrementAndGet();
        if (stop || failure.get() != null) {
          stopped.countDown();
        } else {
          call();
        }
      }
    }
    Caller[] callers = new Caller[settings.concurrentCalls()];
    ProcessStats serverBefore = serverStats();
    ProcessMeter.Reading clientBefore = ProcessMeter.read();
    long start = System.nanoTime();
    try (Watchdog watchdog = watch(time)) {
      for (int i = 0; i < callers.length; i++) {
        callers[i] = new Caller();
        callers[i].call();
      }
      Thread.sleep(time.toMillis());
      long calls = completed.get();
      long elapsed = System.nanoTime() - start;
      ProcessMeter.Reading client = ProcessMeter.read().minus(clientBefore);
      for (Caller caller : callers) {
        caller.stop = true;
      }
      if (!stopped.await(SLACK.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException("calls still in flight " + SLACK.toSeconds() + " s after the end");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed: " + failure.get(), failure.get());
      }
      // The server's counters are read after the calls in flight have finished: a few more
      // calls than counted, at most concurrentCalls of them.
      ProcessStats serverAfter = serverStats();
      return new Throughput(calls * 1e9 / elapsed, calls, client,
          difference(serverAfter, serverBefore));
    }
  }

  /** One bidi stream: sends for {@code time} as fast as flow control allows, counts echoes. */
  private Stream stream(int size, Duration time) throws Exception {
    Streamer streamer = new Streamer(payload(size), time.toNanos());
    try (Watchdog watchdog = watch(time)) {
      async.stream(streamer);
      try {
        streamer.done.get(time.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the stream failed: " + e.getCause(), e.getCause());
      }
    }
    if (streamer.received != streamer.sent) {
      throw new IllegalStateException("sent " + streamer.sent + " messages, " + streamer.received
          + " came back");
    }
    return new Stream(size, streamer.received, streamer.lastReceivedAt - streamer.startedAt);
  }

  /**
   * Sends while the call is ready, then half-closes once the time is up; counts echoes. gRPC
   * calls one call's observer methods and onReady handler one at a time, so plain fields do.
   */
  private static final class Streamer implements ClientResponseObserver<Payload, Payload> {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Payload message;
    private final long durationNanos;
    private ClientCallStreamObserver<Payload> requests;
    long startedAt;
    long lastReceivedAt;
    long sent;
    long received;
    private boolean halfClosed;

    Streamer(Payload message, long durationNanos) {
      this.message = message;
      this.durationNanos = durationNanos;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Payload> requestStream) {
      requests = requestStream;
      requestStream.setOnReadyHandler(this::send);
    }

    /** The clock starts when the call is first ready; at least one message is sent. */
    private void send() {
      if (startedAt == 0) {
        startedAt = System.nanoTime();
        lastReceivedAt = startedAt;
      }
      while (!halfClosed && requests.isReady()) {
        if (sent > 0 && System.nanoTime() - startedAt >= durationNanos) {
          halfClosed = true;
          requests.onCompleted();
          return;
        }
        requests.onNext(message);
        sent++;
      }
    }

    @Override
    public void onNext(Payload echo) {
      received++;
      lastReceivedAt = System.nanoTime();
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }

  private ProcessStats serverStats() {
    return endpoint.serverInThisJvm() ? ProcessStats.getDefaultInstance()
        : blocking.withDeadlineAfter(30, TimeUnit.SECONDS).stats(StatsRequest.getDefaultInstance());
  }

  /** CPU µs per call of each thread group, under {@link Metrics#threadCpu}. */
  static void putThreads(Map<String, Double> figures, int size, String side,
      Map<String, Long> threads, long calls) {
    threads.forEach((group, nanos) ->
        figures.put(Metrics.threadCpu(size, side, group), nanos / 1e3 / calls));
  }

  static void putSwitches(Map<String, Double> figures, String metric,
      ProcessMeter.Reading reading, long calls) {
    if (reading.contextSwitches() >= 0) {
      figures.put(metric, (double) reading.contextSwitches() / calls);
    }
  }

  private static ProcessMeter.Reading difference(ProcessStats after, ProcessStats before) {
    return new ProcessMeter.Reading(after.getCpuNanos() - before.getCpuNanos(),
        after.getAllocatedBytes() - before.getAllocatedBytes(),
        after.getContextSwitches() < 0 || before.getContextSwitches() < 0 ? -1
            : after.getContextSwitches() - before.getContextSwitches());
  }

  private Watchdog watch(Duration planned) {
    return Watchdog.arm(planned.plus(SLACK), channel::shutdownNow);
  }

  static Payload payload(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return Payload.newBuilder().setData(ByteString.copyFrom(bytes)).build();
  }

  private static void check(Payload response, int size) {
    if (response.getData().size() != size) {
      throw new IllegalStateException("echo of " + size + " bytes came back with "
          + response.getData().size());
    }
  }

  private record Latency(Histogram histogram, int calls, ProcessMeter.Reading client,
      ProcessMeter.Reading server, Map<String, Long> clientThreads,
      Map<String, Long> serverThreads) {}

  private record Throughput(double callsPerSecond, long calls, ProcessMeter.Reading client,
      ProcessMeter.Reading server) {}

  private record Stream(int size, long messages, long nanos) {
    double messagesPerSecond() {
      return messages * 1e9 / nanos;
    }

    double megabytesPerSecond() {
      return messagesPerSecond() * size / 1e6;
    }
  }
}
