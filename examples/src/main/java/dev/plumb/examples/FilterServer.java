package dev.plumb.examples;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter as a child process: it serves {@link FilterService} on {@code stdio:}, that is on
 * its own stdin and stdout, to the parent that started it through a channel whose target is
 * {@code pipe:java -cp ... dev.plumb.examples.FilterServer}. It prints nothing on stdout (the
 * transport points {@code System.out} at stderr once it serves, so a stray print cannot corrupt
 * the calls) and logs to stderr, which the parent's channel forwards to the parent's log. It
 * exits when its stdin closes: when the parent's channel shuts down, or the parent dies.
 *
 * <p>It is not meant to be started by hand; {@link GrepDemo} shows the parent's side.
 */
public final class FilterServer {
  private static final Logger log = LoggerFactory.getLogger(FilterServer.class);

  private FilterServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0) {
      log.error("FilterServer takes no arguments; a pipe: channel starts it and it serves on"
          + " its stdin and stdout");
      System.exit(2);
    }
    Server server;
    try {
      server = PlumbServerBuilder.forAddress("stdio:")
          .addService(new FilterService())
          .build()
          .start();
    } catch (IOException e) {
      log.error("cannot serve on stdio: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("filter serving its parent (pid {}) over stdin and stdout",
        ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
    // The transport ends the process when the parent closes the pipe.
    server.awaitTermination();
  }
}
