package dev.plumb.examples.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.ExampleConfiguration;
import dev.plumb.examples.ExampleJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link PlumbDaemon} in a child JVM of this test's class path, its stderr in a file. Its
 * stdin stays open (a pipe nobody writes to) until {@link #close}, which kills what is left.
 */
final class DaemonProcess implements AutoCloseable {
  /**
   * Small and quick to start (the tests' daemons do little work), logging at INFO into the
   * stderr file, where the tests look for the drain's log lines.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info");

  final Process process;
  private final BufferedReader stdout;
  private final Path stderr;

  private DaemonProcess(Process process, Path stderr) {
    this.process = process;
    this.stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stderr = stderr;
  }

  static DaemonProcess start(Path temp, String... args) throws IOException {
    Path stderr = Files.createTempFile(temp, "daemon-", ".stderr");
    ProcessBuilder builder = new ProcessBuilder(
        ExampleJvm.command(JVM_OPTIONS, PlumbDaemon.class.getName(), List.of(args)))
        .redirectError(stderr.toFile());
    builder.environment().remove(ExampleConfiguration.LISTEN_ENVIRONMENT);
    return new DaemonProcess(builder.start(), stderr);
  }

  /** Reads {@code count} READY lines and returns their addresses, failing on anything else. */
  List<String> readyAddresses(int count) throws IOException {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String line = stdout.readLine();
      assertTrue(line != null && line.startsWith(PlumbDaemon.READY),
          "line " + (i + 1) + " of stdout: " + line + "; stderr: " + stderr());
      addresses.add(line.substring(PlumbDaemon.READY.length()));
    }
    return addresses;
  }

  /** The rest of stdout, once the process has ended. */
  String remainingStdout() throws IOException {
    StringBuilder rest = new StringBuilder();
    String line;
    while ((line = stdout.readLine()) != null) {
      rest.append(line).append('\n');
    }
    return rest.toString();
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGTERM alone: {@link Process#destroy} would also close the child's stdin. */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the exit and returns its code, failing after {@code seconds}. */
  int awaitExit(long seconds) throws Exception {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS),
        "still running after " + seconds + " s; stderr: " + stderr());
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
