package dev.plumb.demo;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.identity.PeerPids;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link TransportScenario}: starts the daemon with the example services as a child JVM
 * (or lets the channel start it, for {@code pipe:}), checks the calculator's answers over a
 * Plumb channel, measures unary latency and streaming throughput, checks the clock, the
 * producer/consumer and the peer identity examples, then closes the channel, stops the child
 * and removes the scenario's temporary directory, whatever happened, and makes sure the child
 * is gone and left no shared-memory segment name in {@code /dev/shm} ({@link SegmentNames}).
 * Progress goes to {@code out}.
 */
public final class ScenarioRunner {
  /** How long a {@code pipe:} child may take to exit once its channel has shut down. */
  static final Duration CHILD_EXIT_TIMEOUT = Duration.ofSeconds(20);

  private final DemoSettings settings;
  private final PrintStream out;

  public ScenarioRunner(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public ScenarioResult run(TransportScenario scenario) throws InterruptedException {
    try {
      return scenario.startedByChannel() ? runChildOfChannel(scenario)
          : runSeparateServer(scenario);
    } finally {
      scenario.cleanUp();
    }
  }

  private ScenarioResult runSeparateServer(TransportScenario scenario)
      throws InterruptedException {
    String name = scenario.name();
    Checklist checklist = new Checklist();
    Measurements measured = new Measurements();
    progress(name, "starting the daemon with the example services in a child JVM, listening on "
        + scenario.listenAddress() + (scenario.tls() == null ? ""
            : " with mutual TLS (certificates made just now by a demo CA)"));
    ServerProcess server;
    try {
      server = DaemonProcess.start(scenario.daemonArgs(), settings.serverStartTimeout());
    } catch (IOException e) {
      checklist.fail("the server did not start: " + e.getMessage());
      return new ScenarioResult(name, -1, checklist.passed(), checklist.failures(), null,
          Double.NaN);
    }
    try {
      progress(name, "server pid " + server.pid() + " is ready at " + server.address());
      // The same interceptor as over pipe:, so that both rows time the same client code.
      ManagedChannel channel = scenario.channelBuilder(server.address())
          .intercept(new PeerPids()).build();
      try {
        exercise(name, new Stubs(channel, settings.callDeadline()), checklist, measured);
        exerciseExamples(name, channel, server.pid(), scenario.transportKnowsPeer(), checklist);
      } finally {
        shutdown(channel);
      }
    } finally {
      progress(name, "stopping the server (closing its stdin)");
      server.close();
      progress(name, server.isAlive() ? "server pid " + server.pid() + " is still running"
          : "server exited with code " + server.exitCode());
    }
    SegmentNames.check("the server", server.pid(), checklist);
    return new ScenarioResult(name, server.pid(), checklist.passed(), checklist.failures(),
        measured.latency, measured.streamRate);
  }

  /**
   * {@code pipe:}: the demo starts no process itself. The channel's target is the server's
   * command line; the first call makes the channel start the child, whose pid arrives in the
   * call's transport attributes, and shutting the channel down closes the child's stdin, upon
   * which the child exits.
   */
  private ScenarioResult runChildOfChannel(TransportScenario scenario)
      throws InterruptedException {
    String name = scenario.name();
    Checklist checklist = new Checklist();
    Measurements measured = new Measurements();
    PeerPids pids = new PeerPids();
    progress(name, "the channel starts the daemon as its child JVM, listening on "
        + scenario.listenAddress() + " (the child's stdin and stdout), at the first call");
    ManagedChannel channel = PlumbChannelBuilder.forTarget(scenario.pipeTarget())
        .intercept(pids).build();
    try {
      if (firstCall(name, channel, pids, checklist)) {
        exercise(name, new Stubs(channel, settings.callDeadline()), checklist, measured);
        exerciseExamples(name, channel, pids.first(), scenario.transportKnowsPeer(), checklist);
      }
    } finally {
      progress(name, "shutting the channel down (it closes the child's stdin)");
      shutdown(channel);
      awaitChildExit(name, pids, checklist);
    }
    for (long pid : pids.all()) {
      SegmentNames.check("the server", pid, checklist);
    }
    return new ScenarioResult(name, pids.first(), checklist.passed(), checklist.failures(),
        measured.latency, measured.streamRate);
  }

  /**
   * Makes the call that starts the {@code pipe:} child, so that a child that cannot start is
   * reported as such. Its answer is not counted: the checks that follow are the same for every
   * transport.
   */
  private boolean firstCall(String name, ManagedChannel channel, PeerPids pids,
      Checklist checklist) {
    long start = System.nanoTime();
    try {
      CalculatorGrpc.newBlockingStub(channel)
          .withDeadlineAfter(settings.serverStartTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .add(Operands.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      checklist.fail("the server did not start: " + CalculatorChecks.describe(e.getStatus()));
      return false;
    }
    progress(name, String.format("server pid %s, started by the channel, answered the first"
        + " call after %.1f s", pids.first() < 0 ? "?" : String.valueOf(pids.first()),
        (System.nanoTime() - start) / 1e9));
    return true;
  }

  /** Waits for every child the channel started to exit; one still running is a failure. */
  private void awaitChildExit(String name, PeerPids pids, Checklist checklist)
      throws InterruptedException {
    List<Long> started = pids.all();
    if (started.size() > 1) {
      checklist.fail("the channel started the server " + started.size() + " times (pids "
          + started + "): a child died during the demo");
    }
    List<Long> running = pids.awaitExit(CHILD_EXIT_TIMEOUT);
    for (long pid : started) {
      if (running.contains(pid)) {
        checklist.fail("server pid " + pid + " was still running "
            + CHILD_EXIT_TIMEOUT.toSeconds() + " s after its channel shut down");
        progress(name, "server pid " + pid + " is still running");
      } else {
        progress(name, "server pid " + pid + " exited");
      }
    }
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

  /** The clock, the producer/consumer and the peer identity, on the same channel. */
  private void exerciseExamples(String name, ManagedChannel channel, long serverPid,
      boolean transportKnowsPeer, Checklist checklist) throws InterruptedException {
    int before = checklist.passed();
    int failedBefore = checklist.failures().size();
    ClockChecks.run(channel, settings.callDeadline(), serverPid, checklist,
        line -> progress(name, line));
    BufferChecks.run(channel, settings.bufferItems(), checklist, line -> progress(name, line));
    IdentityChecks.run(channel, settings.callDeadline(), transportKnowsPeer, checklist,
        line -> progress(name, line));
    progress(name, "examples: " + (checklist.passed() - before) + " right, "
        + (checklist.failures().size() - failedBefore) + " wrong (clock, producer/consumer,"
        + " peer identity)");
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
