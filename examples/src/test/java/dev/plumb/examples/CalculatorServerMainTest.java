package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CalculatorServer#main} as a real process: its one READY line, where it listens, and
 * how it stops. The test thread may block reading the child's stdout, so the timeout runs the
 * test on a thread of its own and {@link #kill} unblocks it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CalculatorServerMainTest {
  private static final Pattern READY = Pattern.compile("READY (tcp://([^:]+):(\\d+))");
  private static final List<String> LOG_INFO =
      List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");

  @TempDir
  Path temp;
  private Process process;
  private BufferedReader stdout;

  @AfterEach
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server child outlived the test");
    }
  }

  @Test
  void printsReadyServesAndExitsWhenStdinEnds() throws Exception {
    start(LOG_INFO, Map.of(), "tcp://127.0.0.1:0");
    Matcher ready = ready();
    assertEquals("127.0.0.1", ready.group(2));
    assertTrue(Integer.parseInt(ready.group(3)) > 0, "the real port, not 0: " + ready.group());

    ManagedChannel channel = PlumbChannelBuilder.forTarget(ready.group(1)).build();
    try {
      assertEquals(5, CalculatorGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .add(Operands.newBuilder().setA(2).setB(3).build()).getValue());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    process.getOutputStream().close();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after its stdin closed");
    assertEquals(0, process.exitValue());
    assertNull(stdout.readLine(), "stdout carries the READY line only");
    assertTrue(stderr().contains("stdin closed; stopping"), stderr());
  }

  /**
   * On {@code stdio:} the server's stdout is the protocol stream: it starts with the Plumb
   * preface, never with READY, and the server leaves stdin to the transport, which ends the
   * process when stdin closes.
   */
  @Test
  void onStdioStdoutCarriesTheProtocolNotReadyAndStdinsEndStopsIt() throws Exception {
    start(LOG_INFO, Map.of(), "stdio:");
    byte[] preface = process.getInputStream().readNBytes(6);
    assertEquals("PLUMB\n", new String(preface, StandardCharsets.ISO_8859_1),
        "the first bytes on stdout; stderr: " + stderr());

    process.getOutputStream().close();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after its stdin closed");
    assertEquals(0, process.exitValue(), stderr());
    String rest = new String(process.getInputStream().readAllBytes(),
        StandardCharsets.ISO_8859_1);
    assertFalse(rest.contains(CalculatorServer.READY.trim()), "stdout: " + rest);
  }

  @Test
  void stopsGracefullyOnSigterm() throws Exception {
    start(LOG_INFO, Map.of(), "tcp://127.0.0.1:0");
    ready();
    // SIGTERM alone: Process.destroy() would also close the child's stdin, and the server
    // stops on that too (exit 0), racing the signal.
    process.toHandle().destroy();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after SIGTERM");
    assertEquals(128 + 15, process.exitValue(), "the JVM's exit status after SIGTERM");
    assertTrue(stderr().contains("shutting down; calls in flight have"), stderr());
  }

  @Test
  void listensWhereTheEnvironmentSaysWithoutArguments() throws Exception {
    start(List.of(), Map.of(ExampleConfiguration.LISTEN_ENVIRONMENT, "tcp://localhost:0"));
    assertEquals("localhost", ready().group(2));
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironment() throws Exception {
    start(List.of("-D" + ExampleConfiguration.LISTEN_PROPERTY + "=tcp://localhost:0"),
        Map.of(ExampleConfiguration.LISTEN_ENVIRONMENT, "tcp://127.0.0.1:0"));
    assertEquals("localhost", ready().group(2));
  }

  @Test
  void anAddressNoTransportServesExitsWithCode2AndNoReadyLine() throws Exception {
    start(List.of(), Map.of(), "nope://somewhere");
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    assertNull(stdout.readLine());
    assertTrue(stderr().contains("cannot listen on nope://somewhere"), stderr());
  }

  private void start(List<String> jvmOptions, Map<String, String> environment, String... args)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(
        ExampleJvm.command(jvmOptions, CalculatorServer.class.getName(), List.of(args)))
        .redirectError(temp.resolve("stderr.txt").toFile());
    builder.environment().remove(ExampleConfiguration.LISTEN_ENVIRONMENT);
    builder.environment().putAll(environment);
    process = builder.start();
    stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private Matcher ready() throws IOException {
    String line = stdout.readLine();
    Matcher matcher = READY.matcher(line == null ? "(end of output)" : line);
    assertTrue(matcher.matches(), "first line: " + line + "; stderr: " + stderr());
    return matcher;
  }

  private String stderr() throws IOException {
    return Files.readString(temp.resolve("stderr.txt"));
  }
}
