package dev.plumb.benchmarks.driver;

import dev.plumb.benchmarks.server.EchoServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server in a JVM of its own. With {@link #startListening} it prints {@code READY <address>}
 * and its stdin only tells it when to stop; with {@link #startPiped} its stdin and stdout are
 * the medium (the raw pipe echo). Its stderr is forwarded to ours. {@link #close} closes its
 * stdin, waits, then kills it; a shutdown hook does the same if the driver exits first.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final Process process;
  private final String address;
  private final Thread hook;

  private ServerProcess(Process process, String address, Thread hook) {
    this.process = process;
    this.address = address;
    this.hook = hook;
  }

  /** Starts a server that prints its address, and waits for that line. */
  static ServerProcess startListening(List<String> command, Duration readyTimeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    Thread hook = hook(process);
    String name = "server pid " + process.pid();
    forward(process.getErrorStream(), "[" + name + "] ");
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line = lines.readLine();
        firstLine.complete(line == null ? "" : line);
        while ((line = lines.readLine()) != null) {
          System.err.println("[" + name + " stdout] " + line);
        }
      } catch (IOException e) {
        firstLine.completeExceptionally(e);
      }
    }, "stdout of " + name);
    reader.setDaemon(true);
    reader.start();
    ServerProcess server = new ServerProcess(process, null, hook);
    String line;
    try {
      line = firstLine.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      server.close();
      throw new IOException(name + " did not print READY within " + readyTimeout.toSeconds()
          + " s (" + e + ")");
    }
    if (!line.startsWith(EchoServerMain.READY)) {
      server.close();
      throw new IOException(name + " printed '" + line + "' instead of READY <address>");
    }
    return new ServerProcess(process, line.substring(EchoServerMain.READY.length()).trim(), hook);
  }

  /** Starts a server whose stdin and stdout the caller uses; its stderr is forwarded. */
  static ServerProcess startPiped(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).start();
    Thread hook = hook(process);
    forward(process.getErrorStream(), "[server pid " + process.pid() + "] ");
    return new ServerProcess(process, null, hook);
  }

  String address() {
    return address;
  }

  long pid() {
    return process.pid();
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  /** CPU time the server process has used so far, in nanoseconds (clock-tick resolution). */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  @Override
  public void close() {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway and finds the process gone.
    }
  }

  private static Thread hook(Process process) {
    Thread hook = new Thread(() -> stop(process), "stop server " + process.pid());
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static void stop(Process process) {
    try {
      try {
        process.getOutputStream().close();
      } catch (IOException gone) {
        // It has exited already.
      }
      if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void forward(InputStream in, String prefix) {
    Thread thread = new Thread(() -> {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          System.err.println(prefix + line);
        }
      } catch (IOException e) {
        // The process is gone.
      }
    }, "stderr " + prefix.trim());
    thread.setDaemon(true);
    thread.start();
  }
}
