package dev.plumb.benchmarks.driver;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A server JVM: this JVM's {@code java} and class path, and the same options for every server,
 * so that configurations differ only in their transport. Its stderr is copied to ours; closing
 * it closes its stdin, waits, then kills it.
 */
public final class ServerJvm {
  /**
   * grpc-netty asks every channel for SO_KEEPALIVE, which a Unix socket does not have; Netty's
   * bootstrap warns about it on each connection.
   */
  public static final String QUIET_NETTY_BOOTSTRAP =
      "org.slf4j.simpleLogger.log.io.netty.bootstrap";
  /** Options of every server JVM: a fixed heap, quiet logs. The JIT is the JVM's default. */
  public static final List<String> SERVER_JVM_OPTIONS = List.of(
      "-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
      "-D" + QUIET_NETTY_BOOTSTRAP + "=error");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(5);

  private ServerJvm() {}

  /** Starts a server that prints {@code READY <address>}, and waits for that line. */
  static ServerProcess listening(Class<?> mainClass, String... args)
      throws IOException, InterruptedException {
    return ServerProcess.start("server", command(mainClass, args), START, STOP);
  }

  /** Starts a server whose stdin and stdout are the medium (the raw pipe echo). */
  static ServerProcess piped(Class<?> mainClass, String... args) throws IOException {
    return ServerProcess.startPiped("server", command(mainClass, args), STOP);
  }

  public static List<String> command(Class<?> mainClass, String... args) {
    return JavaCommand.of(SERVER_JVM_OPTIONS, mainClass.getName(), List.of(args));
  }

  /** The same command as one line, every word single-quoted, as a {@code pipe:} target takes it. */
  public static String commandLine(Class<?> mainClass, String... args) {
    return JavaCommand.quoted(command(mainClass, args));
  }
}
