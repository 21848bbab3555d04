package dev.plumb.benchmarks.connections;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of the load test that takes commands, one per line, on its stdin and answers with lines
 * on its stdout; its stderr is copied to ours. {@link #close} ends its stdin, which it takes as
 * the order to exit (then SIGTERM, then SIGKILL, as {@link ServerProcess} does).
 */
final class PipedJvm implements AutoCloseable {
  private static final Duration STOP = Duration.ofSeconds(30);

  private final String label;
  private final ServerProcess process;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private PipedJvm(String label, ServerProcess process) {
    this.label = label;
    this.process = process;
    this.stdin = process.stdin();
    Thread reader = new Thread(this::readLines, label + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static PipedJvm start(String label, List<String> jvmOptions, Class<?> mainClass,
      List<String> args) throws IOException {
    return new PipedJvm(label, ServerProcess.startPiped(label,
        JavaCommand.of(jvmOptions, mainClass.getName(), args), STOP));
  }

  private void readLines() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.stdout(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The process is gone; await reports it.
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void send(String command) throws IOException {
    stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /**
   * The next line that starts with {@code prefix}, without it; other lines are copied to
   * stderr.
   *
   * @throws IOException if none comes within {@code timeout}
   */
  String await(String prefix, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IOException(label + " (pid " + pid() + ", " + (isAlive() ? "running" : "exited")
            + ") printed no '" + prefix + "' line within " + timeout.toSeconds() + " s");
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
      System.err.println("[" + label + " " + pid() + " stdout] " + line);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
