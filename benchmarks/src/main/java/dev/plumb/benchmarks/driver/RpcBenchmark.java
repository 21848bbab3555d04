package dev.plumb.benchmarks.driver;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import dev.plumb.benchmarks.proto.ProcessStats;
import dev.plumb.benchmarks.proto.Received;
import dev.plumb.benchmarks.proto.StatsRequest;
import dev.plumb.benchmarks.server.ProcessMeter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one RPC configuration, one repetition: a warm-up of every code path, then
 * unary latency per payload (with CPU and allocation per call), the same with an async caller
 * at the smallest payload, unary throughput with many calls
 * in flight, bidi streaming per payload, one large client-streaming transfer, the CPU of the
 * channel left open and idle, and on some configurations the transfer row
 * ({@link DownloadBenchmark}).
 */
// "try": a Watchdog is held by try-with-resources only to be disarmed at the end of a phase.
@SuppressWarnings("try")
final class RpcBenchmark {
  private static final Duration SLACK = CallLoop.SLACK;
  /** The compilers' share of a warm-up slice under which the JIT counts as quiet. */
  private static final int QUIET_SHARE_PERCENT = 2;

  private final RpcConfiguration.Endpoint endpoint;
  private final ManagedChannel channel;
  private final Settings settings;
  private final EchoGrpc.EchoBlockingStub blocking;
  private final EchoGrpc.EchoStub async;
  private final DownloadBenchmark downloads;
  private final PhaseClock phases = new PhaseClock();
  /** Whether the last warm-up ended with the JIT compilers quiet. */
  private boolean jitQuiet;
  /** The compilers' CPU in the last warm-up slice, as a share of the slice's time. */
  private double lastCompileShare = Double.NaN;

  /** @param downloads the ways the transfer row measures, last, on this configuration */
  RpcBenchmark(RpcConfiguration.Endpoint endpoint, Settings settings,
      List<DownloadWay> downloads) {
    this.endpoint = endpoint;
    this.channel = endpoint.channel();
    this.settings = settings;
    Channel calls = withDeadlines(channel, settings.callDeadline());
    this.blocking = EchoGrpc.newBlockingStub(calls);
    this.async = EchoGrpc.newStub(calls);
    this.downloads = new DownloadBenchmark(channel, calls, settings, downloads);
  }

  /** {@code channel}, giving {@code deadline} to every call that has none (zero: itself). */
  private static Channel withDeadlines(Channel channel, Duration deadline) {
    if (deadline.isZero()) {
      return channel;
    }
    return ClientInterceptors.intercept(channel, new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        return next.newCall(method, options.getDeadline() != null ? options
            : options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
      }
    });
  }

  /** Warms up, measures, and puts the figures (metric name to value) into {@code figures}. */
  void run(Map<String, Double> figures) throws Exception {
    phases.start();
    if (settings.transferRowOnly()) {
      // Its own untimed transfers warm it up; nothing else of the configuration is measured.
      runTransferRow(figures);
      return;
    }
    long warmUpStart = System.nanoTime();
    warmUp();
    figures.put(Metrics.WARMUP_SECONDS, (System.nanoTime() - warmUpStart) / 1e9);
    figures.put(Metrics.WARMUP_JIT_QUIET, jitQuiet ? 1.0 : 0.0);
    phases.lap(Double.isNaN(lastCompileShare) ? "warm-up" : String.format(Locale.ROOT,
        "warm-up (JIT compiling %.0f%% of the last slice)", lastCompileShare * 100));
    for (int i = 0; i < settings.payloads().size(); i++) {
      int size = settings.payloads().get(i);
      Latency latency = latency(size, settings.latencyCalls().get(i));
      CallLoop.putLatency(figures, size, latency.histogram, latency.calls);
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
    int small = settings.payloads().get(0);
    Latency chained = asyncLatency(small, settings.latencyCalls().get(0));
    CallLoop.putAsyncLatency(figures, small, chained.histogram, chained.calls);
    putSwitches(figures, Metrics.asyncClientSwitches(small), chained.client, chained.calls);
    if (!endpoint.serverInThisJvm()) {
      putSwitches(figures, Metrics.asyncServerSwitches(small), chained.server, chained.calls);
    }
    phases.lap("async latency");
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
    figures.put(Metrics.TRANSFER, Transfer.megabytesPerSecond(settings.transferBytes(),
        settings.transferChunk(), this::upload));
    phases.lap("transfer");
    // The Stats call is the call after which the channel stays open and idle.
    long serverPid = endpoint.serverInThisJvm() ? -1 : serverStats().getPid();
    IdleMeter.measure(figures, serverPid, settings.idleTime());
    phases.lap("idle");
    // Last, so that nothing before meets the server's transfer data in its heap.
    runTransferRow(figures);
  }

  private void runTransferRow(Map<String, Double> figures) throws Exception {
    if (!downloads.ways().isEmpty()) {
      downloads.run(figures);
      phases.lap("transfer row");
    }
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
    for (int i = 0; i < settings.payloads().size(); i++) {
      unaryCalls(settings.payloads().get(i), settings.warmupCalls(i), 0, settings.warmupLimit(),
          null);
    }
    asyncCalls(settings.payloads().get(0), settings.warmupCalls(0), 0, settings.warmupLimit(),
        null);
    throughput(settings.throughputTime());
    for (int size : settings.payloads()) {
      stream(size, settings.streamTime().dividedBy(3));
    }
    upload(settings.warmupTransferBytes(), settings.transferChunk());
    awaitQuietJit();
  }

  /** Blocking unary calls of {@code size} bytes, one at a time ({@link CallLoop#repeat}). */
  private int unaryCalls(int size, int maxCalls, int minCalls, Duration limit,
      Histogram histogram) throws Exception {
    Payload request = payload(size);
    return CallLoop.repeat(maxCalls, minCalls, limit, histogram, channel::shutdownNow,
        () -> check(blocking.unary(request), size));
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
    long[] shares = {400, 150, 0};
    for (int i = 0; i < settings.payloads().size(); i++) {
      unaryCalls(settings.payloads().get(i), Integer.MAX_VALUE, 3,
          Duration.ofMillis(shares[i]), null);
    }
    asyncCalls(settings.payloads().get(0), Integer.MAX_VALUE, 3, Duration.ofMillis(100), null);
    throughput(Duration.ofMillis(100));
    for (int size : settings.payloads()) {
      stream(size, Duration.ofMillis(80));
    }
    upload(4L * settings.transferChunk(), settings.transferChunk());
  }

  private static long compilerNanos(Map<String, Long> threads) {
    long nanos = 0;
    for (Map.Entry<String, Long> group : threads.entrySet()) {
      if (ThreadCpu.isCompiler(group.getKey())) {
        nanos += group.getValue();
      }
    }
    return nanos;
  }

  /** Blocking unary calls one at a time, timed, with what each side spent on them. */
  private Latency latency(int size, int calls) throws Exception {
    return measure(histogram -> unaryCalls(size, calls, 10, settings.latencyLimit(), histogram));
  }

  /** Async unary calls one at a time ({@link AsyncCallChain}), timed, with their costs. */
  private Latency asyncLatency(int size, int calls) throws Exception {
    return measure(histogram -> asyncCalls(size, calls, 10, settings.latencyLimit(), histogram));
  }

  private int asyncCalls(int size, int maxCalls, int minCalls, Duration limit,
      Histogram histogram) throws Exception {
    try (Watchdog watchdog = watch(limit)) {
      return AsyncCallChain.start(async, payload(size), maxCalls, minCalls,
          System.nanoTime() + limit.toNanos(), histogram).await(limit.plus(SLACK));
    }
  }

  /** Calls that record their round trips into a histogram; returns how many it made. */
  @FunctionalInterface
  private interface TimedCalls {
    int make(Histogram histogram) throws Exception;
  }

  /** Runs {@code calls} between readings of both processes' counters. */
  private Latency measure(TimedCalls calls) throws Exception {
    Histogram histogram = CallLoop.histogram();
    ProcessStats serverBefore = serverStats();
    long clientPid = ProcessHandle.current().pid();
    Map<String, Long> serverThreadsBefore = endpoint.serverInThisJvm() ? Map.of()
        : ThreadCpu.read(serverBefore.getPid());
    Map<String, Long> clientThreadsBefore = ThreadCpu.read(clientPid);
    ProcessMeter.Reading clientBefore = ProcessMeter.read();
    int made = calls.make(histogram);
    ProcessMeter.Reading client = ProcessMeter.read().minus(clientBefore);
    Map<String, Long> clientThreads =
        ThreadCpu.difference(ThreadCpu.read(clientPid), clientThreadsBefore);
    Map<String, Long> serverThreads = endpoint.serverInThisJvm() ? Map.of()
        : ThreadCpu.difference(ThreadCpu.read(serverBefore.getPid()), serverThreadsBefore);
    ProcessStats serverAfter = serverStats();
    return new Latency(histogram, made, client, difference(serverAfter, serverBefore),
        clientThreads, serverThreads);
  }

  /**
   * {@code concurrentCalls} chains of async unary calls ({@link AsyncCallChain}) for
   * {@code time}: calls per second. A transport that completes calls inside the stub (grpc
   * in-process with direct executors) runs the chains one after the other on this thread,
   * which is all the concurrency it has with one caller: its figure is sequential calls.
   */
  private Throughput throughput(Duration time) throws Exception {
    Payload request = payload(16);
    ProcessStats serverBefore = serverStats();
    ProcessMeter.Reading clientBefore = ProcessMeter.read();
    long start = System.nanoTime();
    long stopAt = start + time.toNanos();
    long calls = 0;
    try (Watchdog watchdog = watch(time)) {
      List<AsyncCallChain> chains = new ArrayList<>();
      for (int i = 0; i < settings.concurrentCalls(); i++) {
        chains.add(AsyncCallChain.start(async, request, Integer.MAX_VALUE, 1, stopAt, null));
      }
      for (AsyncCallChain chain : chains) {
        calls += chain.await(time.plus(SLACK));
      }
    }
    long elapsed = System.nanoTime() - start;
    ProcessMeter.Reading client = ProcessMeter.read().minus(clientBefore);
    ProcessStats serverAfter = serverStats();
    return new Throughput(calls * 1e9 / elapsed, calls, client,
        difference(serverAfter, serverBefore));
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
   * One client stream of {@code bytes} in messages of {@code chunk} bytes, sent as fast as flow
   * control allows; returns the bytes the server says it received.
   */
  private long upload(long bytes, int chunk) throws Exception {
    Uploader uploader = new Uploader(payload(chunk), bytes / chunk);
    Duration planned = Transfer.planned(bytes);
    Received received;
    try (Watchdog watchdog = watch(planned)) {
      async.upload(uploader);
      try {
        received = uploader.done.get(planned.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the upload failed: " + e.getCause(), e.getCause());
      }
    }
    if (received.getMessages() != bytes / chunk) {
      throw new IllegalStateException("sent " + bytes / chunk + " messages, the server counted "
          + received.getMessages());
    }
    return received.getBytes();
  }

  /**
   * Sends its messages while the call is ready, then half-closes; the server's answer completes
   * {@link #done}. gRPC calls one call's observer methods and onReady handler one at a time,
   * so plain fields do.
   */
  private static final class Uploader implements ClientResponseObserver<Payload, Received> {
    final CompletableFuture<Received> done = new CompletableFuture<>();
    private final Payload message;
    private final long count;
    private ClientCallStreamObserver<Payload> requests;
    private long sent;
    private Received received;

    Uploader(Payload message, long count) {
      this.message = message;
      this.count = count;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Payload> requestStream) {
      requests = requestStream;
      requestStream.setOnReadyHandler(this::send);
    }

    private void send() {
      if (sent == count) {
        return;
      }
      while (sent < count && requests.isReady()) {
        requests.onNext(message);
        sent++;
      }
      if (sent == count) {
        requests.onCompleted();
      }
    }

    @Override
    public void onNext(Received value) {
      received = value;
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      if (received == null) {
        done.completeExceptionally(new IllegalStateException("the upload ended without an answer"));
      } else {
        done.complete(received);
      }
    }
  }

  /**
   * Sends while the call is ready, then half-closes once the time is up; counts echoes. gRPC
   * calls one call's observer methods and onReady handler one at a time, so plain fields do.
   */
  private static final class Streamer extends CompletionObserver<Payload>
      implements ClientResponseObserver<Payload, Payload> {
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
