package dev.plumb.examples;

import dev.plumb.childjvm.ParentPipe;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.config.PlumbConfiguration;
import io.grpc.Server;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calculator as a server daemon. {@link #main} listens where {@link ExampleConfiguration}
 * says,
 * prints exactly one line, {@code READY <bound address>}, on stdout once it accepts calls, and
 * logs to stderr only. It stops gracefully on SIGTERM or SIGINT and when its stdin reaches
 * end-of-file, so a parent that holds the other end of stdin never leaves it behind as an
 * orphan, even if the parent is killed. (Started by hand, it runs until Ctrl-C or Ctrl-D; with
 * {@code < /dev/null} it would stop at once.)
 *
 * <p>Listening on {@code stdio:}, it is the child of a client whose channel target is
 * {@code pipe:java ... dev.plumb.examples.CalculatorServer stdio:}: its stdin and stdout carry
 * the calls, so it prints no READY line and leaves stdin to the transport, which ends the
 * process when the parent closes the pipe (the shutdown hook still stops the server first).
 */
public final class CalculatorServer {
  /** What {@link #main} prints, followed by the bound address, when it is ready. */
  public static final String READY = "READY ";

  private static final Logger log = LoggerFactory.getLogger(CalculatorServer.class);
  /** How long calls in flight may take to finish when the server stops, before cancellation. */
  private static final long GRACE_SECONDS = 5;
  private static final long FORCED_SECONDS = 5;

  private final Server server;

  private CalculatorServer(Server server) {
    this.server = server;
  }

  /**
   * Starts a calculator listening at {@code listenAddress}, e.g. {@code tcp://127.0.0.1:0}.
   *
   * @throws IllegalArgumentException if no transport on the class path serves the address
   * @throws IOException if it cannot listen there
   */
  public static CalculatorServer start(String listenAddress) throws IOException {
    Server server = PlumbServerBuilder.forAddress(listenAddress)
        .addService(new CalculatorService())
        .build()
        .start();
    return new CalculatorServer(server);
  }

  /** The address clients use, with the real port if the listen address asked for port 0. */
  public String boundAddress() {
    return server.getListenSockets().get(0).toString();
  }

  /**
   * Stops taking calls, lets those in flight finish for a while, then cancels the rest.
   * Idempotent; callable from any thread, including a shutdown hook.
   */
  public synchronized void stop() {
    if (server.isTerminated()) {
      return;
    }
    log.info("shutting down; calls in flight have {} s to finish", GRACE_SECONDS);
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        log.warn("calls still running after {} s; cancelling them", GRACE_SECONDS);
        server.shutdownNow();
        if (!server.awaitTermination(FORCED_SECONDS, TimeUnit.SECONDS)) {
          log.warn("the server did not terminate {} s after cancelling", FORCED_SECONDS);
        }
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    String listenAddress = "(not configured)";
    CalculatorServer calculator;
    try {
      PlumbConfiguration configuration = ExampleConfiguration.server(args);
      listenAddress = String.join(", ", configuration.listenAddresses());
      calculator = new CalculatorServer(configuration.serverBuilder()
          .addService(new CalculatorService())
          .build()
          .start());
    } catch (IOException | IllegalArgumentException e) {
      log.error("cannot listen on {}: {}", listenAddress, e.getMessage());
      System.exit(2);
      return;
    }
    // The JVM runs shutdown hooks on SIGTERM and SIGINT. The hook is in place before READY,
    // so a parent may signal as soon as it has read the line.
    Runtime.getRuntime().addShutdownHook(new Thread(calculator::stop, "calculator-shutdown"));
    if (ExampleConfiguration.isStdio(listenAddress)) {
      // stdout carries the protocol and stdin belongs to the transport, which exits this
      // process when its parent closes the pipe; nothing to print, nothing to wait for here.
      log.info("calculator serving its parent (pid {}) over stdin and stdout",
          ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
      calculator.server.awaitTermination();
      return;
    }
    System.out.println(READY + calculator.boundAddress());
    System.out.flush();
    log.info("calculator ready at {}", calculator.boundAddress());

    ParentPipe.awaitEndOfInput(System.in);
    log.info("stdin closed; stopping");
    calculator.stop();
    System.exit(0);
  }
}
