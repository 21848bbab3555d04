package dev.plumb.rpc.testing;

import dev.plumb.childjvm.JavaCommand;
import java.util.List;

/** The command line that runs a main class of this test class path in a new, small JVM. */
public final class ChildJvm {
  private static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  private ChildJvm() {}

  public static List<String> command(Class<?> mainClass, String... args) {
    return command(List.of(), mainClass, args);
  }

  /** The command, with {@code jvmOptions} (system properties, say) after the small JVM's. */
  public static List<String> command(List<String> jvmOptions, Class<?> mainClass,
      String... args) {
    List<String> options = new java.util.ArrayList<>(SMALL_JVM);
    options.addAll(jvmOptions);
    return JavaCommand.of(options, mainClass.getName(), List.of(args));
  }

  /** The same command as one line with every word single-quoted, as {@code pipe:} takes it. */
  public static String commandLine(Class<?> mainClass, String... args) {
    return JavaCommand.quoted(command(mainClass, args));
  }
}
