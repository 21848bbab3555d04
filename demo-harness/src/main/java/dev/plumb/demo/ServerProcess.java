package dev.plumb.demo;

import dev.plumb.examples.JavaCommand;
import dev.plumb.examples.daemon.PlumbDaemon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server running as a separate JVM, started with this JVM's {@code java} and class path. The
 * child's stdin is a pipe that only this object writes to (never, in fact), so the child sees
 * end-of-file and stops when {@link #close} closes it or when this JVM dies for any reason. Its
 * stderr is forwarded to ours line by line, prefixed with {@code [server]}; its stdout must
 * begin with {@code READY <address>}.
 *
 * <p>{@link #close} stops the child politely and then less so: close its stdin and wait,
 * then SIGTERM and wait, then SIGKILL. A shutdown hook does the same if this JVM exits first.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration POLITE_STOP = Duration.ofSeconds(15);
  private static final Duration TERM_STOP = Duration.ofSeconds(5);

  private final Process process;
  private final String address;
  private final Thread shutdownHook;
  private final List<Thread> forwarders;
  private boolean closed;

  private ServerProcess(Process process, String address, Thread shutdownHook,
      List<Thread> forwarders) {
    this.process = process;
    this.address = address;
    this.shutdownHook = shutdownHook;
    this.forwarders = forwarders;
  }

  /**
   * Starts {@link PlumbDaemon} with every example service, listening at {@code listenAddress},
   * told to stop when its stdin ends.
   */
  public static ServerProcess startDaemon(String listenAddress, Duration readyTimeout)
      throws IOException, InterruptedException {
    return start(PlumbDaemon.class.getName(),
        List.of("--listen", listenAddress, "--exit-on-stdin-eof"), readyTimeout);
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM and waits for its READY line.
   *
   * @throws IOException if the child cannot be started, exits or prints anything else before
   *     READY, or says nothing for {@code readyTimeout}; the child is stopped by then
   */
  public static ServerProcess start(String mainClass, List<String> args, Duration readyTimeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(JavaCommand.of(mainClass, args))
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
    Thread hook = new Thread(() -> stop(process), "stop-server-" + process.pid());
    Runtime.getRuntime().addShutdownHook(hook);

    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + " (pid " + process.pid()
        + ")";
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    List<Thread> forwarders = List.of(
        forward(process.getInputStream(), "[server stdout] ", firstLine, name),
        forward(process.getErrorStream(), "[server] ", null, name));
    ServerProcess server;
    try {
      server = new ServerProcess(process, awaitReady(process, name, firstLine, readyTimeout),
          hook, forwarders);
    } catch (IOException | InterruptedException | RuntimeException e) {
      new ServerProcess(process, null, hook, forwarders).close();
      throw e;
    }
    return server;
  }

  private static String awaitReady(Process process, String name,
      CompletableFuture<String> firstLine, Duration timeout) throws IOException,
      InterruptedException {
    String line;
    try {
      line = firstLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(name + " printed nothing within " + timeout.toMillis() / 1000.0
          + " s; expected '" + PlumbDaemon.READY + "<address>'");
    } catch (ExecutionException e) {
      String exit = process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS)
          ? "exited with code " + process.exitValue()
          : "closed its stdout";
      throw new IOException(name + " " + exit + " before it was ready (its stderr is above)");
    }
    if (!line.startsWith(PlumbDaemon.READY)
        || line.substring(PlumbDaemon.READY.length()).isBlank()) {
      throw new IOException(name + " printed '" + line + "' where '" + PlumbDaemon.READY
          + "<address>' was expected");
    }
    return line.substring(PlumbDaemon.READY.length()).trim();
  }

  /**
   * Copies lines from {@code in} to our stderr on a daemon thread. If {@code firstLine} is
   * given, the first line completes it instead, and end-of-file before it fails it.
   */
  private static Thread forward(InputStream in, String prefix,
      CompletableFuture<String> firstLine, String name) {
    Thread thread = new Thread(() -> {
      PrintStream err = System.err;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (firstLine != null && !firstLine.isDone()) {
            firstLine.complete(line);
          } else {
            err.println(prefix + line);
          }
        }
      } catch (IOException e) {
        err.println(prefix + "(reading failed: " + e.getMessage() + ")");
      } finally {
        if (firstLine != null) {
          firstLine.completeExceptionally(new IOException("end of output"));
        }
      }
    }, "forward " + prefix.trim() + " of " + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The address the server reported in its READY line; connect here. */
  public String address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's exit code; only once {@link #close} has returned. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Stops the child (see the class comment) and waits until it is gone. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; it finds the child gone.
    }
    for (Thread forwarder : forwarders) {
      try {
        // The pipes reach end-of-file when the child exits; let its last lines through.
        forwarder.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void stop(Process process) {
    try {
      try {
        process.getOutputStream().close();
      } catch (IOException alreadyGone) {
        // The pipe is broken because the child has exited; waitFor returns at once.
      }
      if (process.waitFor(POLITE_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      System.err.println("server pid " + process.pid() + " ignored the end of its stdin for "
          + POLITE_STOP.toSeconds() + " s; sending SIGTERM");
      process.destroy();
      if (process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      System.err.println("server pid " + process.pid() + " ignored SIGTERM; killing it");
      process.destroyForcibly();
      process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
