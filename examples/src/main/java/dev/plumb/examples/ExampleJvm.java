package dev.plumb.examples;

import dev.plumb.childjvm.JavaCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs an example's main class in a new JVM like this one, as a list for
 * {@link ProcessBuilder} or as a {@code pipe:} target whose channel starts it. Log settings of
 * slf4j-simple travel along, so a quiet test run stays quiet.
 */
public final class ExampleJvm {
  private static final String LOG_SETTINGS = "org.slf4j.simpleLogger.";

  private ExampleJvm() {}

  /**
   * This JVM's {@code java}, its log settings and class path, {@code mainClass} and
   * {@code args}.
   */
  public static List<String> command(String mainClass, List<String> args) {
    return command(List.of(), mainClass, args);
  }

  /** As {@link #command(String, List)}, with {@code jvmOptions} after the log settings. */
  public static List<String> command(List<String> jvmOptions, String mainClass,
      List<String> args) {
    List<String> options = new ArrayList<>(logSettings());
    options.addAll(jvmOptions);
    return JavaCommand.of(options, mainClass, args);
  }

  /** This JVM's slf4j-simple settings, as {@code -D} options for a child JVM. */
  public static List<String> logSettings() {
    return JavaCommand.inheritedProperties(LOG_SETTINGS);
  }

  /**
   * A {@code pipe:} target that starts {@code mainClass} with {@code args} like
   * {@link #command(String, List)}: {@code pipe:'.../bin/java' '-cp' '...' 'Main' 'stdio:'}.
   * Every word is single-quoted, as a POSIX shell would take it, so blanks and quotes in the
   * class path are kept; {@code options} (e.g. {@code stopTimeout=5s}), if not empty, follow a
   * {@code #}.
   *
   * @throws IllegalArgumentException if a word holds {@code #}, which a {@code pipe:} target
   *     reads as the start of its options even inside quotes
   */
  public static String pipeTarget(String mainClass, List<String> args, String options) {
    return pipeTarget(command(mainClass, args), options);
  }

  /** As {@link #pipeTarget(String, List, String)}, for a command line of the caller's. */
  public static String pipeTarget(List<String> command, String options) {
    for (String word : command) {
      if (word.indexOf('#') >= 0) {
        throw new IllegalArgumentException("cannot pass '" + word + "' in a pipe: target: '#'"
            + " starts the target's options");
      }
    }
    return "pipe:" + JavaCommand.quoted(command) + (options.isEmpty() ? "" : "#" + options);
  }
}
