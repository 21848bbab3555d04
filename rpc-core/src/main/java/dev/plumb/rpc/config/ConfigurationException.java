package dev.plumb.rpc.config;

import java.util.List;

/**
 * Plumb's configuration cannot be used: an unknown {@code plumb.*} key, a malformed value, a
 * missing required key, or a file that cannot be read. Thrown at start-up, by
 * {@link PlumbConfiguration.Loader#load()} or by the builder methods of
 * {@link PlumbConfiguration}; the message names each key, where it was set, and what is
 * accepted, one problem per line.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConfigurationException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  ConfigurationException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Each problem found, in the order of the keys; all of them, not only the first. */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    StringBuilder text = new StringBuilder(problems.size() + " problems in Plumb's configuration:");
    for (String problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
