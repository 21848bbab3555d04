package dev.plumb.examples;

import dev.plumb.rpc.config.PlumbConfiguration;

/**
 * How the examples find their transport: through {@link PlumbConfiguration}, with the first
 * command-line argument, when given, as the application's own value. A server listens at
 * {@code plumb.listen} (the argument, else {@code -Dplumb.listen}, {@code PLUMB_LISTEN}, a
 * {@code plumb.properties} file; by default a free loopback TCP port); a client calls
 * {@code plumb.target} likewise (by default {@value #DEFAULT_TARGET}). Switching transport
 * changes that one string, and the other {@code plumb.*} settings apply too
 * (docs/CONFIGURATION.md).
 */
public final class ExampleConfiguration {
  public static final String LISTEN_PROPERTY = "plumb.listen";
  public static final String LISTEN_ENVIRONMENT = "PLUMB_LISTEN";
  public static final String DEFAULT_LISTEN = "tcp://127.0.0.1:0";
  public static final String DEFAULT_TARGET = "tcp://127.0.0.1:7000";

  private ExampleConfiguration() {}

  /**
   * A server's configuration.
   *
   * @throws IllegalArgumentException naming each bad key and its source
   */
  public static PlumbConfiguration server(String[] args) {
    return server(args, PlumbConfiguration.newLoader());
  }

  static PlumbConfiguration server(String[] args, PlumbConfiguration.Loader loader) {
    return loader.listen(firstArgument(args)).setDefault(LISTEN_PROPERTY, DEFAULT_LISTEN).load();
  }

  /**
   * A client's configuration.
   *
   * @throws IllegalArgumentException naming each bad key and its source
   */
  public static PlumbConfiguration client(String[] args) {
    return client(args, PlumbConfiguration.newLoader());
  }

  static PlumbConfiguration client(String[] args, PlumbConfiguration.Loader loader) {
    return loader.target(firstArgument(args)).setDefault("plumb.target", DEFAULT_TARGET).load();
  }

  /**
   * Whether {@code address} is {@code stdio:}, where a server started by a {@code pipe:} client
   * serves its parent over its own stdin and stdout.
   */
  public static boolean isStdio(String address) {
    return address.regionMatches(true, 0, "stdio:", 0, "stdio:".length());
  }

  private static String firstArgument(String[] args) {
    return args.length > 0 && !args[0].isBlank() ? args[0].trim() : null;
  }
}
