package dev.plumb.daemon;

import dev.plumb.childjvm.ParentPipe;
import dev.plumb.rpc.config.PlumbConfiguration;
import dev.plumb.transport.grpc.PlumbGrpcServerBuilder;
import io.grpc.BindableService;
import io.grpc.ServerCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.file.Path;
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
 * The RPC daemon: hosts gRPC services on one or more Plumb addresses at once, and on standard
 * gRPC (HTTP/2) addresses beside them for clients that do not speak Plumb.
 *
 * <pre>
 *   java -jar plumb-daemon-VERSION-all.jar --service-path app.jar \
 *       --listen unix:///run/app/app.sock --listen tcp://127.0.0.1:7000 \
 *       --listen grpc://0.0.0.0:7001
 * </pre>
 *
 * <p>The services are those that the jars of {@code --service-path} register in
 * {@code META-INF/services/io.grpc.BindableService}, or the classes named by {@code --service}
 * (looked up on the service path, then the class path); without either, those registered on the
 * class path ({@link ServiceCatalog}). gRPC's health service, server reflection and channelz are
 * always on. The listen addresses and every other {@code plumb.*} setting come from
 * {@link PlumbConfiguration}, with {@code --listen} as the application's argument and
 * {@code --config} as its file; {@code systemd:} serves the sockets systemd passed;
 * {@code grpc://host:port} and {@code grpc+unix:///path} are served by grpc-netty with the same
 * services ({@code PlumbGrpcServerBuilder}). Once every
 * listener is bound it prints one line per listener on stdout, {@code READY <address>}, with the
 * address actually bound (a {@code tcp:} port 0 becomes the real port), and logs to stderr only
 * ({@link DaemonLogging}).
 *
 * <p>SIGTERM or SIGINT drains it: no new calls, calls in flight get {@code --grace} to finish,
 * then the rest are cancelled, and it exits with 0; a second signal cancels at once. A listener
 * that cannot start ends it with one line on stderr and exit code {@value #EXIT_CANNOT_LISTEN}
 * (the listeners already bound are closed); a bad command line, service, setting or address
 * exits with {@value #EXIT_USAGE}.
 *
 * <p>On {@code stdio:} it is the child of a {@code pipe:} channel: stdout carries the calls, so
 * its READY lines go to stderr, and it exits when the parent closes its stdin.
 * {@code --exit-on-stdin-eof} makes a daemon on other addresses stop the same way, for a parent
 * that wants no orphan.
 */
@Command(name = "plumb-daemon", sortOptions = false, versionProvider = Versions.class,
    description = "Hosts gRPC services on one or more Plumb listen addresses.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped (by a signal, or by the end of stdin)",
        "2:bad command line, service, setting or address",
        "3:an address could not be listened on"})
public final class PlumbDaemon implements Callable<Integer> {
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_CANNOT_LISTEN = 3;
  /** What starts each line that reports a listener on stdout. */
  public static final String READY = "READY ";
  /** Where the daemon listens when nothing says: a free loopback port, which READY names. */
  static final String DEFAULT_LISTEN = "tcp://127.0.0.1:0";

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true,
      description = "Print Plumb's and grpc-java's versions and exit.")
  private boolean version;

  @Option(names = {"-l", "--listen"}, paramLabel = "URI",
      description = "An address to listen on, e.g. tcp://127.0.0.1:7000, "
          + "unix:///run/app.sock, stdio:, systemd: (the sockets systemd passed), "
          + "systemd:NAME, fd:N, or for gRPC over HTTP/2 grpc://127.0.0.1:7001,"
          + " grpc+unix:///run/app.h2.sock; repeatable. Default: -Dplumb.listen, else"
          + " $PLUMB_LISTEN, else the configuration file, else " + DEFAULT_LISTEN + ".")
  private List<String> listen = new ArrayList<>();

  @Option(names = {"-p", "--service-path"}, paramLabel = "PATH",
      description = "The application's jars and class directories, separated by ':';"
          + " repeatable. Their services are hosted: those registered in"
          + " META-INF/services/io.grpc.BindableService, or the --service classes.")
  private List<String> servicePath = new ArrayList<>();

  @Option(names = {"-s", "--service"}, paramLabel = "CLASS",
      description = "A BindableService class with a public no-argument constructor, on the"
          + " service path or the class path; repeatable. Default: every one registered.")
  private List<String> services = new ArrayList<>();

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "A properties file of plumb.* settings (docs/CONFIGURATION.md); default:"
          + " -Dplumb.config, else $PLUMB_CONFIG, else plumb.properties on the class path.")
  private Path config;

  @Option(names = {"-g", "--grace"}, paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long calls in flight may run after SIGTERM/SIGINT before they are"
          + " cancelled, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
  private Duration grace;

  @Option(names = "--exit-on-stdin-eof",
      description = "Drain and exit when stdin reaches end-of-file (the parent is gone).")
  private boolean exitOnStdinEof;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "error, warn, info (the default), debug or trace; for Plumb and gRPC alike.")
  private LogLevel logLevel;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "text (the default) or json: one JSON object per line, on stderr.")
  private LogFormat logFormat;

  private final PrintStream out;
  private final PrintStream err;

  PlumbDaemon(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new PlumbDaemon(System.out, System.err)).execute(args));
  }

  static CommandLine commandLine(PlumbDaemon daemon) {
    return new CommandLine(daemon)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExitCodeExceptionMapper(e -> EXIT_USAGE);
  }

  @Override
  public Integer call() {
    try {
      DaemonLogging.configure(logLevel, logFormat);
    } catch (IllegalArgumentException e) {
      return fail(EXIT_USAGE, e.getMessage());
    }
    // Created once the logging is set: Logback would otherwise set itself up with defaults.
    Logger log = LoggerFactory.getLogger(PlumbDaemon.class);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<BindableService> hosted;
    PlumbConfiguration configuration;
    try {
      ServicePath path = servicePath.isEmpty() ? null : ServicePath.of(servicePath, loader);
      if (path != null) {
        // The services' own code may look for resources and providers there too.
        loader = path.loader();
        Thread.currentThread().setContextClassLoader(loader);
      }
      hosted = !services.isEmpty() ? ServiceCatalog.named(services, loader)
          : path != null ? ServiceCatalog.registered(path) : ServiceCatalog.onClassPath(loader);
      configuration = PlumbConfiguration.newLoader()
          .listen(listen.isEmpty() ? null : String.join(",", listen))
          .configFile(config)
          .classLoader(loader)
          .setDefault("plumb.listen", DEFAULT_LISTEN)
          .load();
    } catch (IllegalArgumentException e) {
      return fail(EXIT_USAGE, e.getMessage());
    }
    boolean onStdio = configuration.listenAddresses().stream()
        .anyMatch(address -> address.regionMatches(true, 0, "stdio:", 0, "stdio:".length()));
    if (onStdio && exitOnStdinEof) {
      return fail(EXIT_USAGE, "--exit-on-stdin-eof cannot be combined with stdio:, whose stdin"
          + " carries the calls (the daemon exits when it ends anyway)");
    }
    RunningDaemon daemon;
    try {
      daemon = RunningDaemon.start(serverBuilder(configuration), hosted);
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

  /**
   * One server on every address of {@code plumb.listen}, in the order given: Plumb's, served by
   * its transports, and gRPC's ({@code grpc://}, {@code grpc+unix://}), served by grpc-netty;
   * each with the configured TLS and options (those that only Plumb's transports have apply to
   * Plumb's addresses alone).
   */
  private static PlumbGrpcServerBuilder serverBuilder(PlumbConfiguration configuration) {
    ServerCredentials credentials = configuration.serverCredentials();
    PlumbGrpcServerBuilder builder = null;
    for (String address : configuration.listenAddresses()) {
      builder = builder == null ? PlumbGrpcServerBuilder.forAddress(address, credentials)
          : builder.addListenAddress(address, credentials);
    }
    return builder.configurePlumb(configuration::applyServerOptions)
        .configureGrpc(configuration::applyServerOptions);
  }

  private int fail(int code, String message) {
    // One line, whatever the log level, so that whoever started the daemon sees why.
    err.println("plumb-daemon: " + message);
    err.flush();
    return code;
  }
}
