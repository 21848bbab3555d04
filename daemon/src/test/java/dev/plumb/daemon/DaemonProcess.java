package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.rpc.testing.ConformanceService;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link PlumbDaemon} in a child JVM, its stderr in a file, as an application runs it: the
 * daemon's own class path (this test's, without the test classes and the conformance service),
 * and the application's jars on {@link #SERVICE_PATH}: this module's test classes, which
 * register the conformance service and {@link SecondService}, and the jar of the conformance
 * service. Its stdin stays open (a pipe nobody writes to) until {@link #close}, which kills what
 * is left.
 */
final class DaemonProcess implements AutoCloseable {
  /** Small and quick to start (the tests' daemons do little work). */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");
  static final String SERVICE_PATH = location(DaemonProcess.class) + File.pathSeparator
      + location(ConformanceService.class);
  private static final String DAEMON_CLASS_PATH = Arrays.stream(
          System.getProperty("java.class.path").split(File.pathSeparator))
      .filter(entry -> !Arrays.asList(SERVICE_PATH.split(File.pathSeparator)).contains(entry))
      .collect(Collectors.joining(File.pathSeparator));

  final Process process;
  private final BufferedReader stdout;
  private final Path stderr;

  private DaemonProcess(Process process, Path stderr) {
    this.process = process;
    this.stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stderr = stderr;
  }

  /** The daemon with {@code args}; the service path is the tests' unless they give one. */
  static DaemonProcess start(Path temp, String... args) throws IOException {
    return start(temp, List.of(), args);
  }

  /** As {@link #start(Path, String...)}, the command line after {@code launcher}'s words. */
  static DaemonProcess start(Path temp, List<String> launcher, String... args)
      throws IOException {
    Path stderr = Files.createTempFile(temp, "daemon-", ".stderr");
    List<String> command = new ArrayList<>(launcher);
    command.addAll(command(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().remove("PLUMB_LISTEN");
    return new DaemonProcess(builder.start(), stderr);
  }

  /** The java command line of the daemon with {@code args}, as {@link #start} runs it. */
  static List<String> command(String... args) {
    return JavaCommand.of(JVM_OPTIONS, DAEMON_CLASS_PATH, PlumbDaemon.class.getName(),
        List.of(args));
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
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The jar or class directory {@code type} was loaded from. */
  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
