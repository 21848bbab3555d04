package dev.plumb.demo;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.daemon.PlumbDaemon;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PlumbDaemon} in a JVM of its own hosting the examples ({@link DaemonCommand}), told to
 * stop when its stdin ends: closing the {@link ServerProcess} drains it.
 */
public final class DaemonProcess {
  /** How long the daemon may take to drain and exit once its stdin has ended. */
  private static final Duration POLITE_STOP = Duration.ofSeconds(15);

  private DaemonProcess() {}

  /** Starts the daemon with every example service, listening at {@code listenAddress}. */
  public static ServerProcess start(String listenAddress, Duration readyTimeout)
      throws IOException, InterruptedException {
    return start(List.of("--listen", listenAddress), readyTimeout);
  }

  /**
   * Starts the daemon with {@code args} and waits for its READY line.
   *
   * @throws IOException if it cannot be started, exits or prints anything else before READY,
   *     or says nothing for {@code readyTimeout}; it is stopped by then
   */
  public static ServerProcess start(List<String> args, Duration readyTimeout)
      throws IOException, InterruptedException {
    List<String> daemonArgs = new ArrayList<>(args);
    daemonArgs.add("--exit-on-stdin-eof");
    return ServerProcess.start("server", DaemonCommand.of(daemonArgs), readyTimeout,
        POLITE_STOP);
  }
}
