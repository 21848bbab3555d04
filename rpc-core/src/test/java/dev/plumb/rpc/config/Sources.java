package dev.plumb.rpc.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Sources for one test, none of them the JVM's: system properties, environment variables, a
 * properties file and a class path that the test fills in. The loader sees nothing else.
 */
final class Sources {
  final Properties systemProperties = new Properties();
  final Map<String, String> environment = new HashMap<>();
  private final Path directory;
  private ClassLoader classPath = new URLClassLoader(new URL[0], null);

  Sources(Path directory) {
    this.directory = directory;
  }

  /** Writes {@code lines} to a file and returns its path. */
  Path file(String name, String... lines) {
    try {
      Path file = directory.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Puts a plumb.properties with {@code lines} on the class path. */
  Path classPathFile(String... lines) {
    Path file = file("classes/plumb.properties", lines);
    try {
      classPath = new URLClassLoader(new URL[] {file.getParent().toUri().toURL()}, null);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    return file;
  }

  PlumbConfiguration.Loader loader() {
    return PlumbConfiguration.newLoader()
        .systemProperties(systemProperties)
        .environment(environment)
        .classLoader(classPath);
  }

  PlumbConfiguration load() {
    return loader().load();
  }
}
