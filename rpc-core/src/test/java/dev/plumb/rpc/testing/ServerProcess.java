package dev.plumb.rpc.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ConformanceServerMain} in a child JVM with this JVM's class path
 * ({@link dev.plumb.childjvm.ServerProcess}). Its stderr is copied to ours with a prefix; its
 * stdin stays open until {@link #close}, so it also dies if this JVM does.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final dev.plumb.childjvm.ServerProcess process;

  private ServerProcess(dev.plumb.childjvm.ServerProcess process) {
    this.process = process;
  }

  /**
   * Starts the server listening at {@code listenAddress}, with {@code options} for
   * {@link ConformanceServerMain}, and waits until it serves.
   */
  public static ServerProcess start(String listenAddress, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(listenAddress));
    args.addAll(List.of(options));
    try {
      return new ServerProcess(dev.plumb.childjvm.ServerProcess.start("server",
          ChildJvm.command(ConformanceServerMain.class, args.toArray(String[]::new)),
          READY_TIMEOUT, STOP_TIMEOUT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the server process started", e);
    }
  }

  /** The address the server listens on, e.g. {@code tcp://127.0.0.1:41234}. */
  public String address() {
    return process.address();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: the server dies mid-whatever, as in a crash. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /**
   * SIGTERM: the server drains in-flight calls and exits. Its stdin stays open: the server takes
   * the end of it as its parent's death and answers with an immediate shutdownNow.
   */
  public void terminate() {
    process.terminate();
  }

  public boolean waitForExit(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitForExit(Duration.of(timeout, unit.toChronoUnit()));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Closes stdin (the server exits), then escalates to SIGTERM and SIGKILL if it lingers. */
  @Override
  public void close() {
    process.close();
  }
}
