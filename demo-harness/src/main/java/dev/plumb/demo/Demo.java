package dev.plumb.demo;

import dev.plumb.demo.share.ShareDemo;
import dev.plumb.demo.share.ShareResult;
import dev.plumb.demo.share.ShareTable;
import dev.plumb.examples.share.DataSet;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-command demo ({@code ./demo}): for every transport that has landed, starts the
 * daemon with the example services as a separate JVM (over {@code pipe:}, the channel starts
 * it; {@code tcp:} also with mutual TLS), checks the calculator's answers over that transport,
 * measures unary round trips and streaming throughput, checks the clock (server streaming), the producer/consumer (client
 * streaming and bidi with flow control) and the peer identity examples, and prints a table.
 * Then {@code ps -ef | grep}: the lines of {@code ps -ef} go to a filter child over
 * {@code pipe:} and the matches come back ({@link GrepCheck}). Then three replicas behind one
 * target with round_robin ({@link ReplicasCheck}), and a Node.js client calling the daemon over
 * gRPC's own HTTP/2, {@code grpc://} ({@link NodeClientCheck}; skipped without {@code node}).
 * Last, a producer shares 100 MiB with two consumers, half each, over {@code shm:},
 * {@code unix:} and {@code tcp:}, every one a separate JVM, streamed and then through one shared
 * buffer ({@link ShareDemo}). Exits with 1 if any answer was wrong. {@code --quick} does a few
 * hundred calls instead of thousands, and shares 16 MiB.
 *
 * <p>Needs the real class path in {@code java.class.path}, which the server child is started
 * with: run it with {@code java -cp ...} (as {@code mvn -pl demo-harness exec:exec} does), not
 * inside Maven's JVM.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws InterruptedException {
    DemoSettings settings = DemoSettings.FULL;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        settings = DemoSettings.QUICK;
      } else {
        System.err.println("unknown argument '" + arg + "'; usage: Demo [--quick]");
        System.exit(2);
      }
    }
    // The table has "µs" in it; say how it is encoded rather than trust the platform default.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    List<TransportScenario> scenarios = TransportScenario.available();
    out.println("Plumb demo: the calculator, clock, producer/consumer and peer identity examples"
        + " over " + scenarios.stream().map(TransportScenario::name)
            .collect(Collectors.joining(", "))
        + " (the daemon a separate JVM each time), then ps -ef | grep with the grep a child"
        + " over pipe:, three replicas behind one target, a Node.js client over grpc://, then"
        + " a producer sharing " + ShareTable.size(settings.shareBytes())
        + " with two consumers");

    List<ScenarioResult> results = new ArrayList<>();
    ScenarioRunner runner = new ScenarioRunner(settings, out);
    for (TransportScenario scenario : scenarios) {
      results.add(runner.run(scenario));
    }
    GrepResult grep = new GrepCheck(settings, out).run(GrepCheck.DEFAULT_PATTERN);
    List<RowResult> rows = List.of(new ReplicasCheck(settings, out).run(),
        new NodeClientCheck(settings, out).run());
    ShareDemo share = new ShareDemo(DataSet.ofSize(settings.shareBytes()),
        ShareDemo.DEFAULT_ROUNDS, settings.shareWarmUp(), settings.serverStartTimeout(), out);
    List<ShareResult> shares = new ArrayList<>();
    for (TransportScenario scenario : ShareDemo.transports()) {
      shares.addAll(share.run(scenario));
    }
    out.println();
    out.print(ResultTable.format(results));
    out.println(grep.summary());
    for (String failure : grep.failures()) {
      out.println("grep: WRONG: " + failure);
    }
    rows.forEach(row -> out.print(row.summary()));
    out.println();
    out.print(ShareTable.format(shares));
    boolean allRight = results.stream().allMatch(ScenarioResult::passed) && grep.passed()
        && rows.stream().allMatch(RowResult::passed)
        && shares.stream().allMatch(ShareResult::passed);
    out.println(allRight ? "All answers were right." : "Some answers were WRONG.");
    out.flush();
    System.exit(allRight ? 0 : 1);
  }
}
