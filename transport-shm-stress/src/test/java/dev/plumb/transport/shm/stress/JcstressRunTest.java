package dev.plumb.transport.shm.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plumb.transport.shm.SpscRing;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;

/**
 * Runs this module's jcstress tests through jcstress's own launcher in a JVM of its own (it
 * forks a JVM per test configuration), then reads its result file and fails if a test saw a
 * forbidden outcome, ended in an error, or did not run at all. The exit code alone would not
 * do: jcstress exits with 0 when its test filter matched nothing.
 *
 * <p>By default this is the short pass that {@code mvn verify} runs: one JVM configuration (C2),
 * one fork and one iteration per test. {@code -DjcstressArgs="-m default"} (or any jcstress
 * options) runs the long pass instead; docs/TRANSPORTS.md has the command and its figures.
 */
class JcstressRunTest {
  private static final List<Class<?>> TESTS = List.of(ConsumerSleepHandshake.class,
      ProducerWaitHandshake.class, RecordPublication.class, SpaceReuse.class);
  /**
   * The short pass: the C2-compiled actors only (-jvmArgs replaces jcstress's list of JVM
   * configurations), no split per-actor compilation, one fork of one 500 ms iteration per test.
   */
  private static final List<String> SHORT_PASS = List.of("-m", "quick", "-sc", "false",
      "-pth", "false", "-jvmArgs", "-XX:-TieredCompilation", "-f", "1", "-iters", "1",
      "-time", "500");
  /** The short pass takes well under a minute; the bound is for a loaded machine. */
  private static final long SHORT_PASS_BOUND_MINUTES = 10;
  private static final long LONG_PASS_BOUND_MINUTES = 180;

  // The run's own bound (above) is the one that counts; this one only has to be longer.
  @Test
  @Timeout(value = LONG_PASS_BOUND_MINUTES + 5, unit = TimeUnit.MINUTES)
  void noForbiddenOutcomeAppears() throws Exception {
    String custom = System.getProperty("jcstressArgs", "").trim();
    List<String> options = custom.isEmpty() ? SHORT_PASS : Arrays.asList(custom.split("\\s+"));
    long boundMinutes = custom.isEmpty() ? SHORT_PASS_BOUND_MINUTES : LONG_PASS_BOUND_MINUTES;

    Path workDir = Files.createDirectories(Path.of("target", "jcstress"));
    try (Stream<Path> old = Files.list(workDir)) {
      for (Path file : (Iterable<Path>) old.filter(JcstressRunTest::isResultFile)::iterator) {
        Files.delete(file);
      }
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // jcstress pins threads to CPUs through JNA, which JDK 24 and later warn about
        // otherwise; jcstress passes its own JVM options on to the JVMs it forks.
        "--enable-native-access=ALL-UNNAMED",
        "-cp", jcstressClassPath(),
        "org.openjdk.jcstress.Main",
        "-t", TESTS.stream().map(Class::getName).map(n -> n.replace(".", "\\."))
            .collect(Collectors.joining("|", "^(", ")$")),
        "-r", "report"));
    command.addAll(options);
    Path log = workDir.resolve("jcstress.log");
    Process jcstress = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!jcstress.waitFor(boundMinutes, TimeUnit.MINUTES)) {
        fail("jcstress still running after " + boundMinutes + " minutes; its output: " + log);
      }
    } finally {
      // Its forked test JVMs first, then jcstress itself: nothing outlives the test.
      jcstress.descendants().forEach(ProcessHandle::destroyForcibly);
      jcstress.destroyForcibly();
    }
    // jcstress exits with 1 when a test failed, and also when it could not run at all: its
    // result file tells which tests ran and what they saw.
    Map<String, List<TestResult>> byTest = readResults(workDir, log);
    List<String> problems = new ArrayList<>();
    StringBuilder figures = new StringBuilder("jcstress " + String.join(" ", options) + "\n");
    for (Class<?> test : TESTS) {
      List<TestResult> runs = byTest.getOrDefault(test.getName(), List.of());
      if (runs.isEmpty()) {
        problems.add(test.getSimpleName() + " did not run");
        continue;
      }
      figures.append(describe(test, runs));
      for (TestResult run : runs) {
        if (run.status() != Status.NORMAL) {
          problems.add(test.getSimpleName() + " ended with " + run.status() + ": "
              + run.getMessages() + " " + run.getVmErr());
        } else if (!run.grading().isPassed) {
          problems.add(test.getSimpleName() + " in " + run.getConfig().jvmArgs + ": "
              + run.grading().failureMessages);
        } else if (run.getTotalCount() == 0) {
          problems.add(test.getSimpleName() + " in " + run.getConfig().jvmArgs + " took no sample");
        }
      }
    }
    System.out.print(figures);
    assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + figures
        + "(jcstress's output: " + log + ")");
    assertEquals(0, jcstress.exitValue(), "jcstress's exit code; its output: " + log);
  }

  /**
   * The class path of what jcstress and the JVMs it forks load: jcstress and its two libraries,
   * these tests, and transport-shm's classes (the ring under test), each found where this JVM
   * loaded it from. Not the rest of this test's class path (gRPC, protobuf, Guava...): jcstress
   * scans every class of its class path at start, and fails on entries that are no directory
   * or jar. A class the tests come to need from elsewhere fails their run, loudly.
   */
  private static String jcstressClassPath() throws Exception {
    Set<String> entries = new LinkedHashSet<>();
    for (String anchor : List.of("org.openjdk.jcstress.Main", "joptsimple.OptionParser",
        "com.sun.jna.Native", SpscRing.class.getName(), JcstressRunTest.class.getName())) {
      Class<?> loaded = Class.forName(anchor, false, JcstressRunTest.class.getClassLoader());
      entries.add(Path.of(loaded.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static boolean isResultFile(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("jcstress-results-") && name.endsWith(".bin.gz");
  }

  /** The results in the one result file the run wrote, by test name. */
  private static Map<String, List<TestResult>> readResults(Path workDir, Path log)
      throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(workDir)) {
      files = list.filter(JcstressRunTest::isResultFile).collect(Collectors.toList());
    }
    assertEquals(1, files.size(), "result files in " + workDir + ": " + files
        + " (jcstress's output: " + log + ")");
    InProcessCollector collector = new InProcessCollector();
    DiskReadCollector reader = new DiskReadCollector(files.get(0).toString(), collector);
    try {
      reader.dump();
    } finally {
      reader.close();
    }
    return collector.getTestResults().stream()
        .collect(Collectors.groupingBy(TestResult::getName, TreeMap::new, Collectors.toList()));
  }

  /** One line per outcome over all the test's runs: samples, and what the test expects. */
  private static String describe(Class<?> test, List<TestResult> runs) {
    Map<String, Long> samples = new TreeMap<>();
    Map<String, String> expect = new TreeMap<>();
    long total = 0;
    for (TestResult run : runs) {
      for (GradingResult outcome : run.grading().gradingResults.values()) {
        samples.merge(outcome.id, outcome.count, Long::sum);
        expect.put(outcome.id, outcome.expect.toString());
      }
      total += run.getTotalCount();
    }
    StringBuilder text = new StringBuilder(String.format("  %s: %,d samples in %d runs%n",
        test.getSimpleName(), total, runs.size()));
    samples.forEach((id, count) -> text.append(String.format("    %-22s %,15d  %s%n", id, count,
        expect.get(id))));
    return text.toString();
  }
}
