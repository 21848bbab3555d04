package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ServerProcess;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle shm: channel parks its threads once the spin and yield phases are over (asserted)
 * and then costs almost no CPU; with {@code idle=spin} the reader never parks. The CPU used
 * over two idle seconds, and the unary round trips of the calls before, are printed as a note
 * (figures, not assertions: benchmarks/ measures properly). The server runs in its own JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmIdleCostTest {
  private static final long IDLE_MILLIS = 2_000;

  @TempDir
  Path sockets;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void anIdleChannelParksAndCostsAlmostNoCpu() throws Exception {
    ServerProcess server = cleanup.add(ServerProcess.start("shm://" + sockets.resolve("idle.sock")));
    for (String idle : new String[] {"backoff", "spin"}) {
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder
          .forTarget(server.address() + "?idle=" + idle).build());
      printRoundTrips(channel, idle);
      if (idle.equals("backoff")) {
        awaitReaderParked();
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long clientBefore = connectionCpuNanos(threads);
      Duration serverBefore = ProcessHandle.of(server.pid()).orElseThrow().info()
          .totalCpuDuration().orElse(Duration.ZERO);
      Thread.sleep(IDLE_MILLIS);  // The idle period being measured, not synchronisation.
      long clientNanos = connectionCpuNanos(threads) - clientBefore;
      Duration serverCpu = ProcessHandle.of(server.pid()).orElseThrow().info().totalCpuDuration()
          .orElse(Duration.ZERO).minus(serverBefore);
      System.out.printf("shm: idle=%s: over %d ms idle, this client's shm: threads used %.1f ms"
          + " of CPU; the server JVM (all its threads) %d ms%n", idle, IDLE_MILLIS,
          clientNanos / 1e6, serverCpu.toMillis());
      if (idle.equals("backoff")) {
        assertEquals(Thread.State.WAITING, readerState(), "the reader is parked, not spinning");
      } else {
        assertEquals(Thread.State.RUNNABLE, readerState(), "idle=spin never parks");
      }
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      awaitNoConnectionThreads();
    }
  }

  private static void awaitNoConnectionThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("plumb-shm:")) && System.nanoTime() < deadline) {
      Thread.sleep(1);  // Polling a condition with a deadline.
    }
  }

  private static void printRoundTrips(ManagedChannel channel, String idle) {
    ConformanceGrpc.ConformanceBlockingStub stub = ConformanceGrpc.newBlockingStub(channel);
    EchoRequest request = EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[64]))
        .build();
    for (int i = 0; i < 3_000; i++) {
      stub.unary(request);
    }
    long[] micros = new long[2_000];
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      stub.unary(request);
      micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    }
    Arrays.sort(micros);
    System.out.printf("shm: idle=%s (client; the server backs off): unary round trip of 64"
        + " bytes, %d calls: p50 %d µs, p90 %d µs, p99 %d µs%n", idle, micros.length,
        micros[micros.length / 2], micros[micros.length * 9 / 10], micros[micros.length * 99 / 100]);
  }

  private static Thread reader() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("plumb-shm:") && thread.getName().endsWith("-reader")) {
        return thread;
      }
    }
    throw new AssertionError("no shm: reader thread");
  }

  private static Thread.State readerState() {
    return reader().getState();
  }

  private static void awaitReaderParked() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (readerState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);  // Polling a condition with a deadline.
    }
    assertEquals(Thread.State.WAITING, readerState(), "the reader did not park within 5 s");
  }

  private static long connectionCpuNanos(ThreadMXBean threads) {
    long total = 0;
    for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
      if (entry.getKey().getName().startsWith("plumb-shm:")) {
        long cpu = threads.getThreadCpuTime(entry.getKey().getId());
        assertTrue(cpu >= -1);
        total += Math.max(0, cpu);
      }
    }
    return total;
  }
}
