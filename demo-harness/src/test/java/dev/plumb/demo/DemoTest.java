package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.ExampleJvm;
import dev.plumb.examples.node.NodeCalculatorClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo in short: a real server child per scenario (over pipe:, started by the channel), every
 * answer checked, nothing left.
 */
@Timeout(value = 480, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoTest {
  /**
   * 13 answers of the calculator's checks, the timed unary answers, two streaming runs, the
   * examples (hello and ticks, Exchange and Fill, WhoAmI), and no segment left in /dev/shm.
   */
  private static final int CHECKS = 13 + 1 + 2 + 5 + 1;

  static List<TransportScenario> scenarios() {
    return TransportScenario.available();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyAvailableScenarioGetsEveryAnswerRightAndStopsItsServer(TransportScenario scenario)
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result = new ScenarioRunner(DemoSettings.QUICK,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run(scenario);
    String log = progress.toString(StandardCharsets.UTF_8);

    assertEquals(List.of(), result.failures(), log);
    assertEquals(CHECKS, result.checksPassed(), log);
    assertNotNull(result.latency(), log);
    assertEquals(DemoSettings.QUICK.timedCalls(), result.latency().calls());
    assertTrue(result.latency().p50Micros() > 0
        && result.latency().p99Micros() >= result.latency().p50Micros(), log);
    assertTrue(result.streamMessagesPerSecond() > 0, log);
    assertTrue(result.serverPid() > 0, log);
    assertTrue(log.contains(scenario.startedByChannel()
        ? "server pid " + result.serverPid() + " exited" : "server exited with code 0"), log);
    assertFalse(ProcessHandle.of(result.serverPid()).map(ProcessHandle::isAlive).orElse(false),
        "server pid " + result.serverPid() + " outlived its scenario");
    assertEquals(List.of(), liveChildren(), "processes the scenario left behind");
    assertTrue(ResultTable.format(List.of(result)).contains("all " + CHECKS + " right"));
    if (scenario.directory() != null) {
      assertFalse(Files.exists(scenario.directory()),
          scenario.directory() + " outlived its scenario");
    }
  }

  @Test
  void theDemoRunsEveryLandedTransport() {
    assertEquals(List.of("tcp", "tcp+tls", "unix", "shm", "pipe"),
        TransportScenario.available().stream().map(TransportScenario::name).toList());
  }

  @Test
  void overPipeTheChannelStartsTheServerAndTheDemoStartsNoProcess() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ScenarioResult result = new ScenarioRunner(DemoSettings.QUICK,
        new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(TransportScenario.childOfChannel("pipe"));
    String log = progress.toString(StandardCharsets.UTF_8);
    assertTrue(result.passed(), log);
    assertTrue(log.contains("server pid " + result.serverPid() + ", started by the channel,"
        + " answered the first call"), log);
    assertFalse(log.contains("starting the daemon"), log);
    assertFalse(ProcessHandle.of(result.serverPid()).map(ProcessHandle::isAlive).orElse(false),
        "the pipe: child " + result.serverPid() + " outlived its channel");
  }

  @Test
  void aPipeServerThatCannotStartIsAFailureNotAHang() throws Exception {
    // A listen address no transport serves: the child exits with code 2 at once.
    ScenarioResult result = new ScenarioRunner(DemoSettings.QUICK,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(new TransportScenario("pipe", "nope://nowhere", null, true));
    assertFalse(result.passed());
    String failure = result.failures().get(0);
    assertTrue(failure.startsWith("the server did not start: UNAVAILABLE"), failure);
    assertTrue(failure.contains("exited with code 2"), failure);
    assertEquals(List.of(), liveChildren(), "processes the scenario left behind");
  }

  @Test
  void aServerThatCannotStartIsAFailureNotAHang() throws Exception {
    ScenarioResult result = new ScenarioRunner(DemoSettings.QUICK,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(TransportScenario.separateServer("nope", "nope://nowhere"));
    assertFalse(result.passed());
    assertTrue(result.failures().get(0).contains("exited with code 2 before it was ready"),
        result.failures().toString());
    assertTrue(ResultTable.format(List.of(result)).contains("nope: WRONG: the server did not"
        + " start"));
  }

  /**
   * This JVM's children still alive once each has had time to exit: a pipe: channel stops its
   * child after the channel has terminated (end of stdin, then SIGTERM, then SIGKILL, within
   * about 10 s), so a child of this or an earlier test may still be on its way out.
   */
  private static List<String> liveChildren() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      try {
        child.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Still alive: listed below.
      }
    }
    return ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .map(child -> child.pid() + " " + child.info().commandLine().orElse("?"))
        .toList();
  }

  @Test
  void theMainPrintsTheTableExitsWithZeroAndLeavesNoServer(@TempDir Path temp) throws Exception {
    Process demo = new ProcessBuilder(ExampleJvm.command(Demo.class.getName(), List.of("--quick")))
        .redirectOutput(temp.resolve("stdout.txt").toFile())
        .redirectError(temp.resolve("stderr.txt").toFile())
        .start();
    try {
      assertTrue(demo.waitFor(420, TimeUnit.SECONDS), "the demo did not finish");
    } finally {
      demo.destroyForcibly();
    }
    String out = Files.readString(temp.resolve("stdout.txt"));
    assertEquals(0, demo.exitValue(), out);
    assertTrue(out.contains("transport     calls    p50 µs    p99 µs   streaming msg/s  answers"),
        out);
    for (String transport : List.of("tcp", "tcp+tls", "unix", "shm", "pipe")) {
      assertTrue(Pattern.compile("(?m)^" + Pattern.quote(transport)
          + " +200 +[0-9.]+ +[0-9.]+ +[0-9,]+  all " + CHECKS + " right$").matcher(out).find(),
          out);
    }
    assertTrue(Pattern.compile("(?m)^grep over pipe: \\d+ of \\d+ lines of ps -ef matched;"
        + " 20,000 generated lines at [0-9,]+ lines/s; all 3 right$").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^three replicas behind one target: (\\S+ \\(pid \\d+\\) 10"
        + "(, )?){3} of 30 calls; all 2 right$").matcher(out).find(), out);
    String node = NodeCalculatorClient.nodeOnPath().isPresent()
        ? "@grpc/grpc-js called the daemon at grpc://127\\.0\\.0\\.1:\\d+ \\(add, multiply, a"
            + " division by zero, a server stream\\); all 4 right"
        : "skipped: no 'node' on the PATH .*";
    assertTrue(Pattern.compile("(?m)^Node\\.js client over grpc://: " + node + "$").matcher(out)
        .find(), out);
    assertTrue(out.contains("16 MiB shared by two consumers, half each"), out);
    for (String transport : List.of("shm", "unix", "tcp")) {
      // Five rounds: each consumer and the halves together per round; the last column has
      // each round's together figure.
      String rounds = " +[0-9,.]+(, [0-9,.]+){4}$";
      assertTrue(Pattern.compile("(?m)^" + transport
          + " +streamed +- +[0-9,.]+ +[0-9,.]+ +[0-9,.]+ +- +all 15 right" + rounds)
          .matcher(out).find(), out);
      assertTrue(Pattern.compile("(?m)^" + transport + " +shared +[0-9,.]+ +[0-9,.]+ +[0-9,.]+"
          + " +[0-9,.]+ +[0-9,.]+x +all 18 right" + rounds).matcher(out).find(), out);
    }
    assertTrue(out.contains("All answers were right."), out);
    Matcher pid = Pattern.compile("(?m)^(tcp|tcp\\+tls|unix|shm|pipe|grep|replicas|node"
        + "|share over \\w+(?: streamed| shared)?): (server|filter child|producer|consumers) pid"
        + " (\\d+)").matcher(out);
    int children = 0;
    while (pid.find()) {
      children++;
      assertFalse(ProcessHandle.of(Long.parseLong(pid.group(3))).map(ProcessHandle::isAlive)
          .orElse(false), "the demo's child " + pid.group() + " outlived it");
      assertEquals(List.of(), SegmentNames.leftBy(Long.parseLong(pid.group(3))), pid.group());
    }
    Matcher secondConsumer = Pattern.compile("and pid (\\d+) are connected").matcher(out);
    while (secondConsumer.find()) {
      children++;
      assertFalse(ProcessHandle.of(Long.parseLong(secondConsumer.group(1)))
          .map(ProcessHandle::isAlive).orElse(false), "consumer " + secondConsumer.group());
    }
    assertTrue(children >= 6 + 3 + 9, out);
    // The socket directories of unix: and shm: are gone with them.
    Matcher socket = Pattern.compile("listening on (unix|shm)://(\\S+)/\\w+.sock").matcher(out);
    int directories = 0;
    while (socket.find()) {
      directories++;
      assertFalse(Files.exists(Path.of(socket.group(2))), socket.group());
    }
    assertTrue(directories >= 4, out);
  }
}
