package dev.plumb.examples;

import java.util.function.UnaryOperator;

/**
 * Where a server listens, from configuration: the first command-line argument, else the
 * system property {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT},
 * else {@value #DEFAULT} (loopback, a free port). Switching transport changes this string only.
 */
public final class ListenAddress {
  public static final String PROPERTY = "plumb.listen";
  public static final String ENVIRONMENT = "PLUMB_LISTEN";
  public static final String DEFAULT = "tcp://127.0.0.1:0";

  private ListenAddress() {}

  /** The address from this process's arguments, system properties and environment. */
  public static String of(String[] args) {
    return choose(args, System::getProperty, System::getenv);
  }

  /**
   * Whether {@code address} is {@code stdio:}, where a server started by a {@code pipe:} client
   * serves its parent over its own stdin and stdout.
   */
  public static boolean isStdio(String address) {
    return address.regionMatches(true, 0, "stdio:", 0, "stdio:".length());
  }

  /** The first non-blank of: {@code args[0]}, the property, the environment variable. */
  static String choose(String[] args, UnaryOperator<String> properties,
      UnaryOperator<String> environment) {
    if (args.length > 0 && !args[0].isBlank()) {
      return args[0].trim();
    }
    String property = properties.apply(PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    String variable = environment.apply(ENVIRONMENT);
    if (variable != null && !variable.isBlank()) {
      return variable.trim();
    }
    return DEFAULT;
  }
}
