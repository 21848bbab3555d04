package dev.plumb.examples.share;

import dev.plumb.examples.ExampleJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ShareConsumer} in a JVM of its own, started with {@code --await-go}: its stdout
 * lines arrive through {@link #nextLine}, {@link #go} starts its call, and {@link #close} kills
 * it if it is still running. Its stderr is ours. The demo's runner and the tests start the
 * consumers through it.
 */
public final class ConsumerProcess implements AutoCloseable {
  private final Process process;
  /** Stdout's lines, then an empty Optional for its end; filled by the reader thread. */
  private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ConsumerProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "share-consumer-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Consumer {@code consumer} of {@code data} at {@code target}: through the producer's shared
   * buffer if {@code shared}, else streamed; one round, after one warm-up call.
   */
  public static ConsumerProcess start(String target, int consumer, DataSet data, boolean shared)
      throws IOException {
    return start(target, consumer, data, shared, 1, Duration.ZERO);
  }

  /**
   * {@link #start(String, int, DataSet, boolean)} for {@code rounds} rounds: the consumer warms
   * up with small calls for {@code warmUp} (at least one call) before it says READY, then takes
   * its share after each {@link #go} and reports each round on a line of its own.
   */
  public static ConsumerProcess start(String target, int consumer, DataSet data, boolean shared,
      int rounds, Duration warmUp) throws IOException {
    List<String> args = new ArrayList<>(List.of(target, String.valueOf(consumer),
        String.valueOf(data.sizeBytes()), String.valueOf(data.chunkBytes()),
        String.valueOf(data.seed()), "--await-go", ShareConsumer.ROUNDS,
        String.valueOf(rounds), ShareConsumer.WARM_UP, String.valueOf(warmUp.toMillis())));
    if (shared) {
      args.add(ShareConsumer.SHARED);
    }
    return new ConsumerProcess(new ProcessBuilder(ExampleJvm.command(
        ShareConsumer.class.getName(), args)).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start());
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(Optional.of(line));
      }
    } catch (IOException e) {
      // The process was killed while we read: its output ends here.
    } finally {
      lines.add(Optional.empty());
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The next line of stdout.
   *
   * @throws IOException if stdout ended, or nothing came within {@code timeout}
   */
  public String nextLine(Duration timeout) throws IOException, InterruptedException {
    Optional<String> line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IOException("said nothing for " + timeout.toSeconds() + " s");
    }
    if (line.isEmpty()) {
      // Put the end back, so that a later call sees it too.
      lines.add(line);
      String exit = process.waitFor(5, TimeUnit.SECONDS)
          ? "exited with code " + process.exitValue() : "closed its stdout";
      throw new IOException(exit + " (its stderr is above)");
    }
    return line.get();
  }

  /** Tells the consumer to start its call (its next round's). */
  public void go() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((ShareConsumer.GO + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the exit; its code, or -1 if it is still running after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Kills the consumer if it still runs, and waits until it is gone. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    process.waitFor(10, TimeUnit.SECONDS);
    reader.join(1_000);
  }
}
