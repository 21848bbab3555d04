package dev.plumb.examples.demo;

import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link TransportScenario}: starts the calculator server as a child JVM, checks its
 * answers over a Plumb channel, measures unary latency and streaming throughput, then closes
 * the channel, stops the child and removes the scenario's temporary directory, whatever
 * happened. Progress goes to {@code out}.
 */
public final class ScenarioRunner {
  private final DemoSettings settings;
  private final PrintStream out;

  public ScenarioRunner(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public ScenarioResult run(TransportScenario scenario) throws InterruptedException {
    try {
      return runAndStop(scenario);
    } finally {
      scenario.cleanUp();
    }
  }

  private ScenarioResult runAndStop(TransportScenario scenario) throws InterruptedException {
    String name = scenario.name();
    Checklist checklist = new Checklist();
    Measurements measured = new Measurements();
    progress(name, "starting the calculator server in a child JVM, listening on "
        + scenario.listenAddress());
    ServerProcess server;
    try {
      server = ServerProcess.startCalculator(scenario.listenAddress(),
          settings.serverStartTimeout());
    } catch (IOException e) {
      checklist.fail("the server did not start: " + e.getMessage());
      return new ScenarioResult(name, -1, checklist.passed(), checklist.failures(), null,
          Double.NaN);
    }
    try {
      progress(name, "server pid " + server.pid() + " is ready at " + server.address());
      ManagedChannel channel = PlumbChannelBuilder.forTarget(server.address()).build();
      try {
        exercise(name, new Stubs(channel, settings.callDeadline()), checklist, measured);
      } finally {
        shutdown(channel);
      }
    } finally {
      progress(name, "stopping the server (closing its stdin)");
      server.close();
      progress(name, server.isAlive() ? "server pid " + server.pid() + " is still running"
          : "server exited with code " + server.exitCode());
    }
    return new ScenarioResult(name, server.pid(), checklist.passed(), checklist.failures(),
        measured.latency, measured.streamRate);
  }

  private void exercise(String name, Stubs stubs, Checklist checklist, Measurements measured)
      throws InterruptedException {
    try {
      new CalculatorChecks(stubs, checklist).run();
      progress(name, "checks: " + checklist.passed() + " right, " + checklist.failures().size()
          + " wrong (four operations, two errors, streaming)");
      if (!checklist.allPassed()) {
        progress(name, "not measuring: the answers are wrong");
        return;
      }
      progress(name, "warming up with " + settings.warmupCalls() + " unary calls, then timing "
          + settings.timedCalls());
      measured.latency = UnaryLatency.measure(stubs, settings.warmupCalls(),
          settings.timedCalls(), checklist);
      progress(name, String.format("unary round trip: p50 %.1f µs, p99 %.1f µs",
          measured.latency.p50Micros(), measured.latency.p99Micros()));
      progress(name, "streaming the primes up to " + settings.primesLimit()
          + ", once to warm up, once timed");
      measured.streamRate = StreamingRate.measure(stubs, settings.primesLimit(), checklist);
      progress(name, String.format("streaming: %,.0f messages/s", measured.streamRate));
    } catch (StatusRuntimeException e) {
      checklist.fail("a call failed: " + CalculatorChecks.describe(e.getStatus()));
    }
  }

  private void progress(String transport, String line) {
    out.println(transport + ": " + line);
  }

  private static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static final class Measurements {
    LatencySummary latency;
    double streamRate = Double.NaN;
  }
}
