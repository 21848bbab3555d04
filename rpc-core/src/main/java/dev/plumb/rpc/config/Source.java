package dev.plumb.rpc.config;

/**
 * Where a value came from. The ranks are the precedence, highest first: an application's own
 * argument beats a system property, which beats an environment variable, which beats the
 * properties file, which beats the application's default.
 */
final class Source {
  enum Rank {
    ARGUMENT, SYSTEM_PROPERTY, ENVIRONMENT, FILE, DEFAULT
  }

  final Rank rank;
  /** Words for error messages, e.g. "environment variable PLUMB_TARGET". */
  final String description;

  private Source(Rank rank, String description) {
    this.rank = rank;
    this.description = description;
  }

  static Source argument(String key) {
    return new Source(Rank.ARGUMENT, "the application's argument for " + key);
  }

  static Source systemProperty(String key) {
    return new Source(Rank.SYSTEM_PROPERTY, "system property " + key);
  }

  static Source environment(String name) {
    return new Source(Rank.ENVIRONMENT, "environment variable " + name);
  }

  static Source file(String fileDescription) {
    return new Source(Rank.FILE, fileDescription);
  }

  static Source defaultValue(String key) {
    return new Source(Rank.DEFAULT, "the application's default for " + key);
  }

  @Override
  public String toString() {
    return description;
  }
}
