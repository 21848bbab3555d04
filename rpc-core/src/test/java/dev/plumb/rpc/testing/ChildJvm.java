package dev.plumb.rpc.testing;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs a main class of this test class path in a new, small JVM. */
public final class ChildJvm {
  private ChildJvm() {}

  public static List<String> command(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"),
        mainClass.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** The same command as one line with every word single-quoted, as {@code pipe:} takes it. */
  public static String commandLine(Class<?> mainClass, String... args) {
    List<String> quoted = new ArrayList<>();
    for (String word : command(mainClass, args)) {
      quoted.add("'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", quoted);
  }
}
