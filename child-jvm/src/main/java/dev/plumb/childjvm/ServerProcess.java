package dev.plumb.childjvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server in a child process. Its stdin is a pipe that this object holds open, so the child sees
 * end-of-file and stops when {@link #close} closes it or when this JVM dies for any reason. Its
 * stderr is copied to ours line by line, prefixed with {@code [LABEL PID]}. Started with
 * {@link #start}, its stdout must begin with {@code READY <address>}, and later lines are copied
 * to our stderr too; started with {@link #startPiped}, its stdin and stdout are the caller's.
 *
 * <p>{@link #close} stops the child politely and then less so: close its stdin and wait for the
 * stop timeout, then SIGTERM and wait, then SIGKILL. A shutdown hook does the same if this JVM
 * exits first.
 */
public final class ServerProcess implements AutoCloseable {
  /** What a server prints first, followed by the address it serves. */
  public static final String READY = "READY ";
  private static final Duration TERM_STOP = Duration.ofSeconds(5);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final Duration LAST_LINES = Duration.ofSeconds(1);

  private final Process process;
  private final String name;
  private final Duration stopTimeout;
  private final Thread shutdownHook;
  private final List<Thread> copiers;
  private String address;
  private boolean closed;

  private ServerProcess(Process process, String label, Duration stopTimeout,
      List<Thread> copiers) {
    this.process = process;
    this.name = label + " (pid " + process.pid() + ")";
    this.stopTimeout = stopTimeout;
    this.copiers = copiers;
    this.shutdownHook = new Thread(() -> stop(process, stopTimeout), "stop " + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code command} and waits until it prints {@code READY <address>}.
   *
   * @param label what the child is, in messages and before its stderr lines, e.g. {@code server}
   * @param stopTimeout how long {@link #close} waits for the child to exit at the end of its
   *     stdin before it sends SIGTERM
   * @throws IOException if the child cannot be started, exits or prints anything else before
   *     READY, or says nothing for {@code readyTimeout}; the child is stopped by then
   */
  public static ServerProcess start(String label, List<String> command, Duration readyTimeout,
      Duration stopTimeout) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    String prefix = "[" + label + " " + process.pid();
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    ServerProcess server = new ServerProcess(process, label, stopTimeout, List.of(
        LineCopier.copyAfterFirstLine(process.getInputStream(), prefix + " stdout] ", firstLine),
        LineCopier.copy(process.getErrorStream(), prefix + "] ")));
    try {
      server.address = server.awaitReady(firstLine, readyTimeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Starts {@code command} with its stdin and stdout for the caller ({@link #stdin},
   * {@link #stdout}); its stderr is copied to ours.
   *
   * @param label as for {@link #start}
   * @param stopTimeout as for {@link #start}
   */
  public static ServerProcess startPiped(String label, List<String> command,
      Duration stopTimeout) throws IOException {
    Process process = new ProcessBuilder(command).start();
    return new ServerProcess(process, label, stopTimeout,
        List.of(LineCopier.copy(process.getErrorStream(), "[" + label + " " + process.pid()
            + "] ")));
  }

  private String awaitReady(CompletableFuture<String> firstLine, Duration timeout)
      throws IOException, InterruptedException {
    String line;
    try {
      line = firstLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(name + " printed nothing within " + timeout.toMillis() / 1000.0
          + " s; expected '" + READY + "<address>'");
    } catch (ExecutionException e) {
      String exit = process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS)
          ? "exited with code " + process.exitValue()
          : "closed its stdout";
      throw new IOException(name + " " + exit + " before it was ready (its stderr is above)");
    }
    if (!line.startsWith(READY) || line.substring(READY.length()).isBlank()) {
      throw new IOException(name + " printed '" + line + "' where '" + READY
          + "<address>' was expected");
    }
    return line.substring(READY.length()).trim();
  }

  /** The address the server reported in its READY line; null if started piped. */
  public String address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  /** The child's stdin; only for a server started piped. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The child's stdout; only for a server started piped. */
  public InputStream stdout() {
    return process.getInputStream();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's exit code; only once it has exited. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Whether the child exits within {@code timeout}. */
  public boolean waitForExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL, as in a crash, and waits until the child is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGTERM, leaving the child's stdin open; returns at once. */
  public void terminate() {
    // Through the handle: Process.destroy() would also close the child's stdin.
    process.toHandle().destroy();
  }

  /** Stops the child (see the class comment) and waits until it is gone. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process, stopTimeout);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; it finds the child gone.
    }
    for (Thread copier : copiers) {
      try {
        // The pipes reach end-of-file when the child exits; let its last lines through.
        copier.join(LAST_LINES.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void stop(Process process, Duration stopTimeout) {
    try {
      try {
        process.getOutputStream().close();
      } catch (IOException alreadyGone) {
        // The pipe is broken because the child has exited; waitFor returns at once.
      }
      if (process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      System.err.println("pid " + process.pid() + " ignored the end of its stdin for "
          + stopTimeout.toSeconds() + " s; sending SIGTERM");
      process.destroy();
      if (process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      System.err.println("pid " + process.pid() + " ignored SIGTERM; killing it");
      process.destroyForcibly();
      process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
