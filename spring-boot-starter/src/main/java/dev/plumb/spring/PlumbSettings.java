package dev.plumb.spring;

import dev.plumb.rpc.config.PlumbConfiguration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Plumb's own configuration loader ({@link PlumbConfiguration}) as the starter uses it: the
 * system properties and environment variables it reads lose the starter's keys first. Both
 * share the {@code plumb.} prefix, and Plumb's loader rejects every {@code plumb.*} key it does
 * not know, so {@code -Dplumb.server.listen=...} would otherwise stop the application at start.
 */
final class PlumbSettings {
  /** The starter's namespaces, in Spring's form; none of Plumb's keys starts with them. */
  private static final List<String> STARTER_KEYS =
      List.of(PlumbProperties.PREFIX + ".server", PlumbProperties.PREFIX + ".client");

  private final Properties systemProperties;
  private final Map<String, String> environment;

  PlumbSettings(Properties systemProperties, Map<String, String> environment) {
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  /** The process's own system properties and environment. */
  static PlumbSettings ofProcess() {
    return new PlumbSettings(System.getProperties(), System.getenv());
  }

  /** A loader of Plumb's keys from every source but the starter's keys. */
  PlumbConfiguration.Loader loader() {
    Properties plumbOnly = new Properties();
    for (String name : systemProperties.stringPropertyNames()) {
      if (!isStarterKey(name)) {
        plumbOnly.setProperty(name, systemProperties.getProperty(name));
      }
    }
    return PlumbConfiguration.newLoader()
        .systemProperties(plumbOnly)
        .environment(environment.entrySet().stream()
            .filter(variable -> !isStarterVariable(variable.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** {@code plumb.server.listen[0]}, {@code plumb.client.calc.target}, ... */
  static boolean isStarterKey(String name) {
    for (String namespace : STARTER_KEYS) {
      if (name.equals(namespace) || name.startsWith(namespace + ".")
          || name.startsWith(namespace + "[")) {
        return true;
      }
    }
    return false;
  }

  /** {@code PLUMB_SERVER_LISTEN}, {@code PLUMB_CLIENT_CALC_TARGET}, ...: Spring's, not Plumb's. */
  static boolean isStarterVariable(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (String namespace : STARTER_KEYS) {
      if (upper.startsWith(namespace.toUpperCase(Locale.ROOT).replace('.', '_') + "_")) {
        return true;
      }
    }
    return false;
  }
}
