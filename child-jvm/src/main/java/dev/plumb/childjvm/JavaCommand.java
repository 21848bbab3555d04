package dev.plumb.childjvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class in a new JVM with this JVM's {@code java} and class
 * path.
 */
public final class JavaCommand {
  private JavaCommand() {}

  /**
   * This JVM's {@code java} binary, {@code jvmOptions}, {@code -cp} and this JVM's
   * {@code java.class.path}, {@code mainClass} and {@code args}.
   */
  public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
    return of(jvmOptions, System.getProperty("java.class.path"), mainClass, args);
  }

  /** As {@link #of(List, String, List)}, with {@code classPath} in place of this JVM's. */
  public static List<String> of(List<String> jvmOptions, String classPath, String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * {@code -Dname=value} for each of this JVM's system properties whose name starts with
   * {@code prefix}, sorted by name: settings a child should share with this JVM.
   */
  public static List<String> inheritedProperties(String prefix) {
    return System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith(prefix))
        .sorted()
        .map(name -> "-D" + name + "=" + System.getProperty(name))
        .toList();
  }

  /**
   * The words as one line, each single-quoted as a POSIX shell takes it, so that blanks and
   * quotes in them are kept: {@code 'it'\''s' 'a b'}.
   */
  public static String quoted(List<String> words) {
    List<String> quoted = new ArrayList<>();
    for (String word : words) {
      quoted.add("'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", quoted);
  }
}
