package dev.plumb.examples.daemon;

import dev.plumb.examples.ExampleConfiguration;
import dev.plumb.examples.ParentPipe;
import io.grpc.BindableService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The RPC daemon: hosts gRPC services on one or more Plumb addresses at once.
 *
 * <pre>
 *   plumb-daemon --listen unix:///run/calc/calc.sock --listen tcp://127.0.0.1:7000 \
 *       --service dev.plumb.examples.CalculatorService
 * </pre>
 *
 * <p>With no {@code --service}, it hosts every {@code io.grpc.BindableService} registered in
 * {@code META-INF/services} on its class path. gRPC's health service and server reflection are
 * always on. Once every listener is bound it prints one line per listener on stdout,
 * {@code READY <address>}, with the address actually bound (a {@code tcp:} port 0 becomes the
 * real port), and logs to stderr only. With no {@code --listen}, it listens where
 * {@link ExampleConfiguration} says (the system property
 * {@value ExampleConfiguration#LISTEN_PROPERTY}, the environment variable
 * {@value ExampleConfiguration#LISTEN_ENVIRONMENT}, a plumb.properties file, or a free loopback
 * port).
 *
 * <p>SIGTERM or SIGINT drains it: no new calls, calls in flight get {@code --grace} to finish,
 * then the rest are cancelled, and it exits with 0; a second signal cancels at once. A listener
 * that cannot start ends it with one line on stderr and exit code {@value #EXIT_CANNOT_LISTEN}
 * (the listeners already bound are closed); a bad command line, service or address exits with
 * {@value #EXIT_USAGE}.
 *
 * <p>On {@code stdio:} it is the child of a {@code pipe:} channel: stdout carries the calls, so
 * its READY lines go to stderr, and it exits when the parent closes its stdin.
 * {@code --exit-on-stdin-eof} makes a daemon on other addresses stop the same way, for a parent
 * that wants no orphan.
 */
@Command(name = "plumb-daemon", sortOptions = false,
    description = "Hosts gRPC services on one or more Plumb listen addresses.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped (by a signal, or by the end of stdin)",
        "2:bad command line, service or address",
        "3:an address could not be listened on"})
public final class PlumbDaemon implements Callable<Integer> {
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_CANNOT_LISTEN = 3;
  /** What starts each line that reports a listener on stdout. */
  public static final String READY = "READY ";
  private static final Logger log = LoggerFactory.getLogger(PlumbDaemon.class);

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = {"-l", "--listen"}, paramLabel = "URI",
      description = "An address to listen on, e.g. tcp://127.0.0.1:7000, "
          + "unix:///run/app.sock, stdio:; repeatable. Default: -D" + ExampleConfiguration.LISTEN_PROPERTY
          + ", else $" + ExampleConfiguration.LISTEN_ENVIRONMENT + ", else plumb.properties, else "
          + ExampleConfiguration.DEFAULT_LISTEN + ".")
  private List<String> listen = new ArrayList<>();

  @Option(names = {"-s", "--service"}, paramLabel = "CLASS",
      description = "A BindableService class with a public no-argument constructor; repeatable."
          + " Default: every BindableService registered in META-INF/services.")
  private List<String> services = new ArrayList<>();

  @Option(names = {"-g", "--grace"}, paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long calls in flight may run after SIGTERM/SIGINT before they are"
          + " cancelled, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
  private Duration grace;

  @Option(names = "--exit-on-stdin-eof",
      description = "Drain and exit when stdin reaches end-of-file (the parent is gone).")
  private boolean exitOnStdinEof;

  private final PrintStream out;
  private final PrintStream err;

  PlumbDaemon(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new PlumbDaemon(System.out, System.err))
        .setExitCodeExceptionMapper(e -> EXIT_USAGE);
    int code = commandLine.execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() {
    List<String> addresses;
    try {
      addresses = listen.isEmpty()
          ? ExampleConfiguration.server(new String[0]).listenAddresses() : List.copyOf(listen);
    } catch (IllegalArgumentException e) {
      return fail(EXIT_USAGE, e.getMessage());
    }
    boolean onStdio = addresses.stream().anyMatch(ExampleConfiguration::isStdio);
    if (onStdio && exitOnStdinEof) {
      return fail(EXIT_USAGE, "--exit-on-stdin-eof cannot be combined with stdio:, whose stdin"
          + " carries the calls (the daemon exits when it ends anyway)");
    }
    List<BindableService> hosted;
    RunningDaemon daemon;
    try {
      hosted = ServiceCatalog.load(services, Thread.currentThread().getContextClassLoader());
      daemon = RunningDaemon.start(addresses, hosted);
    } catch (IllegalArgumentException e) {
      return fail(EXIT_USAGE, e.getMessage());
    } catch (IOException e) {
      // The transports' messages name the address and the reason.
      return fail(EXIT_CANNOT_LISTEN, e.getMessage() != null ? e.getMessage() : e.toString());
    }

    // Before the READY lines, so that a parent may signal as soon as it has read them.
    Signals.onTermination(() -> {
      if (daemon.isStopping()) {
        daemon.forceNow();
      } else {
        daemon.stop(grace);
      }
    });
    // Any other exit (System.exit by the stdio: transport when the parent closes the pipe,
    // SIGHUP...) still drains first.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> daemon.stop(grace),
        "plumb-daemon-shutdown"));

    // On stdio: the transport has pointed System.out at stderr by now; print there.
    PrintStream lines = onStdio ? System.out : out;
    for (SocketAddress bound : daemon.boundAddresses()) {
      lines.println(READY + bound);
    }
    lines.flush();
    log.info("serving {} on {}", daemon.serviceNames(), daemon.boundAddresses());

    if (exitOnStdinEof) {
      ParentPipe.awaitEndOfInput(System.in);
      log.info("stdin closed; stopping");
      daemon.stop(grace);
    }
    daemon.awaitStopped();
    return 0;
  }

  private int fail(int code, String message) {
    // One line, whatever the log level, so that whoever started the daemon sees why.
    err.println("plumb-daemon: " + message);
    err.flush();
    return code;
  }
}
