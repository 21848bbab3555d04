package dev.plumb.examples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs a main class in a new JVM like this one. */
public final class JavaCommand {
  private JavaCommand() {}

  /**
   * This JVM's {@code java} binary and {@code java.class.path}, {@code mainClass} and
   * {@code args}. Log settings of slf4j-simple travel along, so a quiet test run stays quiet.
   */
  public static List<String> of(String mainClass, List<String> args) {
    return of(List.of(), mainClass, args);
  }

  /** As {@link #of(String, List)}, with {@code jvmOptions} after the inherited ones. */
  public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("org.slf4j.simpleLogger."))
        .sorted()
        .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
