package dev.plumb.examples;

import dev.plumb.examples.demo.DemoSettings;
import dev.plumb.examples.demo.ResultTable;
import dev.plumb.examples.demo.ScenarioResult;
import dev.plumb.examples.demo.ScenarioRunner;
import dev.plumb.examples.demo.TransportScenario;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-command demo ({@code ./demo}): for every transport that has landed, starts the
 * calculator server as a separate JVM, checks its answers over that transport, measures unary
 * round trips and streaming throughput, and prints a table. Exits with 1 if any answer was
 * wrong. {@code --quick} does a few hundred calls instead of thousands.
 *
 * <p>Needs the real class path in {@code java.class.path}, which the server child is started
 * with: run it with {@code java -cp ...} (as {@code mvn -pl examples exec:exec} does), not
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
    out.println("Plumb demo: the calculator over "
        + scenarios.stream().map(TransportScenario::name).collect(Collectors.joining(", "))
        + ", server in a separate JVM");

    List<ScenarioResult> results = new ArrayList<>();
    ScenarioRunner runner = new ScenarioRunner(settings, out);
    for (TransportScenario scenario : scenarios) {
      results.add(runner.run(scenario));
    }
    out.println();
    out.print(ResultTable.format(results));
    boolean allRight = results.stream().allMatch(ScenarioResult::passed);
    out.println(allRight ? "All answers were right." : "Some answers were WRONG.");
    out.flush();
    System.exit(allRight ? 0 : 1);
  }
}
