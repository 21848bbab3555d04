package dev.plumb.benchmarks.driver;

import dev.plumb.benchmarks.server.ProcessMeter;
import dev.plumb.benchmarks.server.RawEchoMain;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one raw mechanism, one repetition, on the same payloads as the RPC
 * configurations: ping-pong latency (a message out, its echo back, one at a time), pipelined
 * streaming (one thread writes messages, each with one write call, while this one reads the
 * echoes), one large transfer in one direction, and, for a mechanism that polls, the CPU of the
 * link left idle. See {@link RawEchoMain} for the protocol.
 */
// "try": a Watchdog is held by try-with-resources only to be disarmed at the end of a phase.
@SuppressWarnings("try")
final class RawBenchmark {
  private static final Duration SLACK = CallLoop.SLACK;

  private final RawConfiguration.Link link;
  private final boolean pollsWhenIdle;
  private final Settings settings;
  private final InputStream in;
  private final OutputStream out;
  private final PhaseClock phases = new PhaseClock();

  RawBenchmark(RawConfiguration configuration, RawConfiguration.Link link, Settings settings) {
    this.link = link;
    this.pollsWhenIdle = configuration.pollsWhenIdle();
    this.settings = settings;
    this.in = link.in();
    this.out = link.out();
  }

  void run(Map<String, Double> figures) throws Exception {
    phases.start();
    warmUp();
    phases.lap("warm-up");
    for (int i = 0; i < settings.payloads().size(); i++) {
      int size = settings.payloads().get(i);
      byte[] message = message(size);
      Histogram histogram = CallLoop.histogram();
      long serverBefore = link.serverCpuNanos();
      long serverSwitchesBefore = link.serverContextSwitches();
      long clientPid = ProcessHandle.current().pid();
      Map<String, Long> serverThreadsBefore = ThreadCpu.read(link.serverPid());
      Map<String, Long> clientThreadsBefore = ThreadCpu.read(clientPid);
      ProcessMeter.Reading clientBefore = ProcessMeter.read();
      int calls = pingPong(message, size, settings.latencyCalls().get(i), 10, histogram,
          settings.latencyLimit());
      ProcessMeter.Reading client = ProcessMeter.read().minus(clientBefore);
      long server = link.serverCpuNanos() - serverBefore;
      long serverSwitchesAfter = link.serverContextSwitches();
      RpcBenchmark.putThreads(figures, size, "client",
          ThreadCpu.difference(ThreadCpu.read(clientPid), clientThreadsBefore), calls);
      RpcBenchmark.putThreads(figures, size, "server",
          ThreadCpu.difference(ThreadCpu.read(link.serverPid()), serverThreadsBefore), calls);
      RpcBenchmark.putSwitches(figures, Metrics.clientSwitches(size), client, calls);
      if (serverSwitchesBefore >= 0 && serverSwitchesAfter >= 0) {
        figures.put(Metrics.serverSwitches(size),
            (double) (serverSwitchesAfter - serverSwitchesBefore) / calls);
      }
      CallLoop.putLatency(figures, size, histogram, calls);
      figures.put(Metrics.clientCpu(size), client.cpuNanos() / 1e3 / calls);
      figures.put(Metrics.serverCpu(size), server / 1e3 / calls);
    }
    phases.lap("latency");
    for (int size : settings.payloads()) {
      double messagesPerSecond = stream(size, settings.streamTime());
      figures.put(Metrics.streamMessages(size), messagesPerSecond);
      figures.put(Metrics.streamMegabytes(size), messagesPerSecond * size / 1e6);
    }
    phases.lap("streaming");
    figures.put(Metrics.TRANSFER, Transfer.megabytesPerSecond(settings.transferBytes(),
        settings.transferChunk(), this::sink));
    phases.lap("transfer");
    if (pollsWhenIdle) {
      // A round trip first, as the RPC rows make a call before their idle window.
      pingPong(message(16), 16, 1, 1, null, settings.latencyLimit());
      IdleMeter.measure(figures, link.serverPid(), settings.idleTime());
      phases.lap("idle");
    }
  }

  String phases() {
    return phases.toString();
  }

  private void warmUp() throws Exception {
    for (int i = 0; i < settings.payloads().size(); i++) {
      int size = settings.payloads().get(i);
      pingPong(message(size), size, settings.warmupCalls(i), 0, null, settings.warmupLimit());
    }
    for (int size : settings.payloads()) {
      stream(size, settings.streamTime().dividedBy(3));
    }
    sink(settings.warmupTransferBytes(), settings.transferChunk());
  }

  /** Round trips one at a time ({@link CallLoop#repeat}); returns how many were made. */
  private int pingPong(byte[] message, int size, int maxCalls, int minCalls,
      Histogram histogram, Duration limit) throws Exception {
    byte[] echo = new byte[size];
    return CallLoop.repeat(maxCalls, minCalls, limit, histogram, link::close, () -> {
      out.write(message);
      out.flush();
      readFully(echo, size);
    });
  }

  /**
   * One large transfer: the sink header, then {@code bytes} in writes of {@code chunk} bytes;
   * returns the count the server sends back once it has read them all.
   */
  private long sink(long bytes, int chunk) throws IOException {
    byte[] data = message(chunk);
    byte[] answer = new byte[Long.BYTES];
    try (Watchdog watchdog = Watchdog.arm(Transfer.planned(bytes).plus(SLACK), link::close)) {
      out.write(ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(RawEchoMain.SINK)
          .putLong(bytes).array());
      for (long sent = 0; sent < bytes; sent += chunk) {
        // The message's 4-byte length prefix is left out: the chunk is bytes of the sink.
        out.write(data, Integer.BYTES, chunk);
        out.flush();
      }
      readFully(answer, answer.length);
    }
    return ByteBuffer.wrap(answer).getLong();
  }

  /**
   * A writer thread sends messages for {@code time}, then one 1-byte message as an end mark;
   * this thread reads echoes until all bytes are back. Returns messages per second.
   */
  private double stream(int size, Duration time) throws Exception {
    byte[] message = message(size);
    byte[] endMark = message(1);
    CompletableFuture<Sent> sent = new CompletableFuture<>();
    Thread writer = new Thread(() -> {
      // The clock starts when the writer runs, not when it is created: on a busy machine a
      // new thread may wait longer than a --quick stream lasts (once: 1 message in 200 ms).
      long start = System.nanoTime();
      long count = 0;
      try {
        do {
          out.write(message);
          out.flush();
          count++;
        } while (System.nanoTime() - start < time.toNanos());
        sent.complete(new Sent(count, start));
        out.write(endMark);
        out.flush();
      } catch (IOException | RuntimeException e) {
        sent.completeExceptionally(e);
      }
    }, "raw-stream-writer");
    writer.setDaemon(true);
    byte[] buffer = new byte[1 << 16];
    long received = 0;
    long end;
    try (Watchdog watchdog = Watchdog.arm(time.plus(SLACK), link::close)) {
      writer.start();
      long expected = Long.MAX_VALUE;
      while (received < expected) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new EOFException("the echo server closed the stream after " + received
              + " bytes");
        }
        received += n;
        if (expected == Long.MAX_VALUE && sent.isDone()) {
          expected = sent.get().count() * size + 1;
        }
      }
      end = System.nanoTime();
      writer.join(SLACK.toMillis());
    } catch (ExecutionException e) {
      throw new IOException("the writer failed: " + e.getCause(), e.getCause());
    }
    long count = sent.get().count();
    if (received != count * size + 1) {
      throw new IOException("sent " + (count * size + 1) + " bytes, " + received
          + " came back");
    }
    // The end mark is one byte; its share of the time is negligible.
    return count * 1e9 / (end - sent.get().startedAt());
  }

  /** What the stream's writer sent, and when it began (completing the future publishes both). */
  private record Sent(long count, long startedAt) {}

  private void readFully(byte[] into, int length) throws IOException {
    int done = 0;
    while (done < length) {
      int n = in.read(into, done, length - done);
      if (n < 0) {
        throw new EOFException("the echo server closed the stream");
      }
      done += n;
    }
  }

  /** A message as the echo server reads it: a 4-byte length, then the payload. */
  private static byte[] message(int size) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + size).putInt(size);
    for (int i = 0; i < size; i++) {
      buffer.put((byte) (i * 31 + 7));
    }
    return buffer.array();
  }
}
