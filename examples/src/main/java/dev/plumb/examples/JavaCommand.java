package dev.plumb.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class in a new JVM like this one, as a list for
 * {@link ProcessBuilder} or as a {@code pipe:} target whose channel starts it.
 */
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

  /**
   * A {@code pipe:} target that starts {@code mainClass} with {@code args} like
   * {@link #of(String, List)}: {@code pipe:'.../bin/java' '-cp' '...' 'Main' 'stdio:'}.
   * Every word is single-quoted, as a POSIX shell would take it, so blanks and quotes in the
   * class path are kept; {@code options} (e.g. {@code stopTimeout=5s}), if not empty, follow a
   * {@code #}.
   *
   * @throws IllegalArgumentException if a word holds {@code #}, which a {@code pipe:} target
   *     reads as the start of its options even inside quotes
   */
  public static String pipeTarget(String mainClass, List<String> args, String options) {
    StringBuilder target = new StringBuilder("pipe:");
    for (String word : of(mainClass, args)) {
      if (word.indexOf('#') >= 0) {
        throw new IllegalArgumentException("cannot pass '" + word + "' in a pipe: target: '#'"
            + " starts the target's options");
      }
      if (target.length() > "pipe:".length()) {
        target.append(' ');
      }
      target.append('\'').append(word.replace("'", "'\\''")).append('\'');
    }
    if (!options.isEmpty()) {
      target.append('#').append(options);
    }
    return target.toString();
  }
}
