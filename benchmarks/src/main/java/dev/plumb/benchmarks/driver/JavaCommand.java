package dev.plumb.benchmarks.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a server JVM: this JVM's {@code java} and class path, and the same
 * options for every server, so that configurations differ only in their transport.
 */
public final class JavaCommand {
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

  private JavaCommand() {}

  public static List<String> of(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SERVER_JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** The same command as one line, every word single-quoted, as a {@code pipe:} target takes it. */
  public static String line(Class<?> mainClass, String... args) {
    List<String> quoted = new ArrayList<>();
    for (String word : of(mainClass, args)) {
      quoted.add("'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", quoted);
  }
}
