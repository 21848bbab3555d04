package dev.plumb.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.util.concurrent.ListenableFuture;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.Result;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.internal.OpenConnections;
import dev.plumb.spring.example.server.CalculatorServerApplication;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the application context drains the server, closes the channels, and leaves nothing. */
@Timeout(60)
class ShutdownTest {
  @TempDir
  Path dir;

  @Test
  void aCallInFlightCompletesWhileNewCallsAreRefused() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    ConfigurableApplicationContext server = SpringApps.start(
        List.of(CalculatorServerApplication.class, GatedServer.class),
        "plumb.server.listen=" + socket, "plumb.server.shutdown-grace=30s");
    CallGate gate = server.getBean(CallGate.class);
    ManagedChannel channel = PlumbChannelBuilder.forTarget(socket).build();
    try {
      ListenableFuture<Result> inFlight = add(channel);
      gate.awaitArrival();

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close,
          runnable -> new Thread(runnable, "closing the context").start());
      awaitRefused(socket);
      assertFalse(inFlight.isDone(), "the call in flight ended before the gate opened");
      assertFalse(closing.isDone(), "the context closed with a call in flight");

      gate.open();
      assertEquals(5, inFlight.get(10, TimeUnit.SECONDS).getValue());
      closing.get(10, TimeUnit.SECONDS);
      assertFalse(server.isActive());
      assertFalse(Files.exists(dir.resolve("calc.sock")), "the socket file is left behind");
    } finally {
      gate.open();
      server.close();
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void callsPastTheGraceAreCancelled() throws Exception {
    assertCancelledWhenClosing("plumb.server.shutdown-grace=100ms");
  }

  @Test
  void springsTimeoutPerShutdownPhaseCutsTheGraceShort() throws Exception {
    assertCancelledWhenClosing("plumb.server.shutdown-grace=30s",
        "spring.lifecycle.timeout-per-shutdown-phase=100ms");
  }

  /** Closing the context with a call held in flight cancels it within a few seconds. */
  private void assertCancelledWhenClosing(String... settings) throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    List<String> properties = new ArrayList<>(List.of(settings));
    properties.add("plumb.server.listen=" + socket);
    ConfigurableApplicationContext server = SpringApps.start(
        List.of(CalculatorServerApplication.class, GatedServer.class),
        properties.toArray(String[]::new));
    CallGate gate = server.getBean(CallGate.class);
    ManagedChannel channel = PlumbChannelBuilder.forTarget(socket).build();
    try {
      ListenableFuture<Result> inFlight = add(channel);
      gate.awaitArrival();
      long start = System.nanoTime();
      server.close();
      // 100 ms, then the call is cancelled (the gate lets a cancelled call go) and the close
      // goes on.
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(tookMillis < 5000, "closing took " + tookMillis + " ms");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> inFlight.get(10, TimeUnit.SECONDS));
      Status.Code code = Status.fromThrowable(e.getCause()).getCode();
      assertTrue(code == Status.Code.CANCELLED || code == Status.Code.UNAVAILABLE,
          e.getCause().toString());
    } finally {
      gate.open();
      server.close();
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheContextLeavesNoThreadsNorConnections() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    String[] properties = {"plumb.server.listen=" + socket + ",tcp://127.0.0.1:0",
        "plumb.client.self.target=" + socket};
    // Once first, so that what a JVM starts once (gRPC's and Spring's first use, Plumb's
    // process-wide event loops) is there before the count.
    callBothAndClose(SpringApps.start(CalculatorServerApplication.class, properties));
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    int connectionsBefore = OpenConnections.count();

    callBothAndClose(SpringApps.start(CalculatorServerApplication.class, properties));

    assertEquals(connectionsBefore, OpenConnections.count(), "Plumb connections left open");
    List<String> lingering = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      // tcp:'s event loops are process-wide, started one by one as connections come.
      if (before.contains(thread) || thread.getName().startsWith("plumb-tcp-")) {
        continue;
      }
      // gRPC ends its shared executors a second after their last user lets go.
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (thread.isAlive()) {
        lingering.add(thread.getName());
      }
    }
    if (!lingering.isEmpty()) {
      fail("threads left running after the context closed: " + lingering);
    }
  }

  /** Calls over the injected channel and over tcp:, then closes the context. */
  private static void callBothAndClose(ConfigurableApplicationContext app) throws Exception {
    ManagedChannel self;
    try (app) {
      self = app.getBean(PlumbChannels.class).get("self");
      assertEquals(5, SpringApps.add(self, 2, 3));
      assertEquals(5, SpringApps.add(SpringApps.targets(app).get(1), 2, 3));
    }
    assertTrue(self.isTerminated(), "the client's channel outlived the context");
  }

  private static ListenableFuture<Result> add(ManagedChannel channel) {
    return CalculatorGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(2).setB(3).build());
  }

  /**
   * Waits until a new channel's call to {@code target} is refused: the server has stopped
   * listening. Until then each attempt is a health check, which the gate does not hold.
   */
  private static void awaitRefused(String target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        SpringApps.withChannel(target, channel -> HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()));
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        return;
      }
    }
    fail("new calls to " + target + " were still taken 10 s after the context began closing");
  }
}
