package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.idle.IdleBudget;
import dev.plumb.rpc.kit.BlockingStreamConnection;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.kit.LinkRoom;
import dev.plumb.rpc.kit.PollingInputStream;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Status;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process that a {@code pipe:} client started: its stdin and stdout carry the
 * protocol, its stderr goes to this process's log line by line ({@link ChildStderr}: lines cut
 * at 8 KiB, at most 1,000 in 10 s). Closing it (the connection does, once its last frame is
 * written and the child's stdin is closed, or when the peer did not let it end in time) starts
 * the child's stop in the background: wait for it to exit, then SIGTERM, then SIGKILL, so no
 * path leaves a child behind and none waits for it.
 */
final class ChildProcess implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final long TERM_GRACE_MILLIS = 2000;
  /**
   * How long the report of a child whose stdout ended waits for its exit status: the end of
   * stdout usually means the child exited, and the JDK learns its status within milliseconds.
   */
  private static final long EXIT_STATUS_WAIT_MILLIS = 1000;
  private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT",
      6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM");

  private final PipeCommand command;
  private final Process process;
  /**
   * How much the child's stdin takes without blocking. Its descriptor stays ours while the
   * connection writes: only the connection closes the stream, or the JDK when the child has
   * exited, and then the stream refuses writes at once, so a probe of a number reused since
   * cannot lead a write to wait.
   */
  private final LinkRoom stdinRoom;

  private ChildProcess(PipeCommand command, Process process, LinkRoom stdinRoom) {
    this.command = command;
    this.process = process;
    this.stdinRoom = stdinRoom;
  }

  /** Starts the child on the {@link Spawner}'s thread. */
  static ChildProcess start(PipeCommand command) throws IOException {
    Process process = Spawner.start(builder(command));
    ChildStderr.forward("plumb-pipe-" + process.pid() + "-stderr", process.getErrorStream(),
        line -> log.info("[child {}] {}", process.pid(), line));
    log.debug("started child {}: {}", process.pid(), command.display());
    // At once, before the child can move its stdin and stdout (ChildPipeEnds); the stdin room
    // reads the capacity once, so the pipes are sized first.
    OptionalInt stdin = ChildPipeEnds.stdin(process.pid());
    PipeSize.request(stdin, command.pipeSize, process.pid(), "stdin");
    PipeSize.request(ChildPipeEnds.stdout(process.pid()), command.pipeSize, process.pid(),
        "stdout");
    return new ChildProcess(command, process,
        stdin.isPresent() ? PipeRoom.of(stdin.getAsInt()) : LinkRoom.NEVER_KNOWN);
  }

  /**
   * The child's command, directory and environment, and this process's pid in
   * {@link ParentWatch#PARENT_PID_VARIABLE}, which also promises that the child is started on
   * a thread that lives as long as this process.
   */
  static ProcessBuilder builder(PipeCommand command) {
    ProcessBuilder builder = new ProcessBuilder(command.argv);
    if (command.directory != null) {
      builder.directory(command.directory.toFile());
    }
    builder.environment().putAll(command.environment);
    builder.environment().put(ParentWatch.PARENT_PID_VARIABLE,
        Long.toString(ProcessHandle.current().pid()));
    return builder;
  }

  long pid() {
    return process.pid();
  }

  Connection connection(PlumbAddress address) {
    Attributes attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, address)
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, new PlumbAddress(URI.create("stdio:/")))
        .set(PlumbAttributes.PEER_CREDENTIALS, ProcessCredentials.of(pid()))
        .build();
    // The child's stdout: Process's buffered stream, whose available() asks the pipe (FIONREAD).
    InputStream stdout = command.idle == IdleMode.POLL
        ? new PollingInputStream(process.getInputStream(), IdleBudget.MACHINE)
        : process.getInputStream();
    return new BlockingStreamConnection("pipe-" + pid(), stdout,
        process.getOutputStream(), this, stdinRoom, attributes, this::withExitStatus);
  }

  /**
   * Called once the child's stdin was closed (or could not be: a writer is stuck on it); stops
   * the child on a thread of its own, so that nobody waits for it: a well-behaved server exits
   * on its own, the others get SIGTERM after the stop timeout and SIGKILL after two more
   * seconds (a frozen child too: SIGKILL ends a stopped process).
   */
  @Override
  public void close() {
    DaemonThreads.newThread("plumb-pipe-" + process.pid() + "-stop", this::stop).start();
  }

  private void stop() {
    try {
      if (process.waitFor(command.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      log.warn("child {} did not exit within {} ms of its stdin closing; sending SIGTERM",
          process.pid(), command.stopTimeout.toMillis());
      process.destroy();
      if (process.waitFor(TERM_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
      log.warn("child {} ignored SIGTERM; sending SIGKILL", process.pid());
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The link's death, with how the child ended if it does so within a moment. */
  private Status withExitStatus(Status status) {
    try {
      if (!process.waitFor(EXIT_STATUS_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        return status;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return status;
    }
    String description = status.getDescription() == null ? "" : status.getDescription() + "; ";
    return status.withDescription(description + "child " + process.pid() + " ("
        + command.display() + ") " + describeExit(process.exitValue()));
  }

  /** Java reports a death by signal N as exit code 128 + N. */
  static String describeExit(int exitValue) {
    if (exitValue > 128 && exitValue < 160) {
      int signal = exitValue - 128;
      return "was killed by signal " + signal
          + (SIGNALS.containsKey(signal) ? " (" + SIGNALS.get(signal) + ")" : "");
    }
    return "exited with code " + exitValue;
  }
}
