package dev.plumb.rpc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ConformanceServerMain} in a child JVM with this JVM's class path. Its stderr is
 * copied to ours with a prefix; its stdin stays open until {@link #close}, so it also dies if
 * this JVM does.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final String address;

  private ServerProcess(Process process, String address) {
    this.process = process;
    this.address = address;
  }

  /**
   * Starts the server listening at {@code listenAddress}, with {@code options} for
   * {@link ConformanceServerMain}, and waits until it serves.
   */
  public static ServerProcess start(String listenAddress, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(listenAddress));
    args.addAll(List.of(options));
    Process process = new ProcessBuilder(
        ChildJvm.command(ConformanceServerMain.class, args.toArray(String[]::new))).start();
    forwardStderr(process);
    BufferedReader stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        return stdout.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    try {
      String line = ready.get(30, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(ConformanceServerMain.READY)) {
        process.destroyForcibly();
        throw new IOException("server process did not start: it printed " + line
            + (process.isAlive() ? "" : " and exited with " + process.waitFor()));
      }
      return new ServerProcess(process, line.substring(ConformanceServerMain.READY.length()));
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("server process did not report READY within 30 s", e);
    }
  }

  private static void forwardStderr(Process process) {
    Thread thread = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          System.err.println("[server " + process.pid() + "] " + line);
        }
      } catch (IOException e) {
        // The child is gone.
      }
    }, "server-stderr-" + process.pid());
    thread.setDaemon(true);
    thread.start();
  }

  /** The address the server listens on, e.g. {@code tcp://127.0.0.1:41234}. */
  public String address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: the server dies mid-whatever, as in a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the server drains in-flight calls and exits. */
  public void terminate() {
    // Through the handle: Process.destroy() would also close the child's stdin, which the
    // server takes as its parent's death and answers with an immediate shutdownNow.
    process.toHandle().destroy();
  }

  public boolean waitForExit(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitFor(timeout, unit);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Closes stdin (the server exits), then escalates to SIGKILL if it lingers. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already gone.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
