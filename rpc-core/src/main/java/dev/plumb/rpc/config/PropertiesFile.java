package dev.plumb.rpc.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The lowest-precedence source: a {@link Properties} file in UTF-8, at a path the application
 * names ({@code plumb.config} / {@code PLUMB_CONFIG}) or {@value #RESOURCE} on the class path.
 * Keys outside {@code plumb.*} are left alone, so the file may be an application's own.
 */
final class PropertiesFile {
  static final String RESOURCE = "plumb.properties";

  /** Words for messages: "file /etc/app/plumb.properties"; null for {@link #none()}. */
  final String description;
  /** Every entry, in the file's order for {@code plumb.*} keys. */
  final Map<String, String> entries;
  /** Keys that appear more than once; {@link Properties} would silently keep the last. */
  final List<String> repeated;

  private PropertiesFile(String description, Map<String, String> entries, List<String> repeated) {
    this.description = description;
    this.entries = Collections.unmodifiableMap(entries);
    this.repeated = List.copyOf(repeated);
  }

  /** No file: the class path has none and none was named. */
  static PropertiesFile none() {
    return new PropertiesFile(null, Map.of(), List.of());
  }

  /** Whether a file was read (false for {@link #none()}). */
  boolean exists() {
    return description != null;
  }

  /**
   * Reads the file at {@code path}, named by {@code namedBy}.
   *
   * @throws ConfigurationException if it is missing, unreadable or malformed
   */
  static PropertiesFile read(Path path, Source namedBy) {
    String description = "file " + path.toAbsolutePath();
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, description);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(ConfigKey.CONFIG.key + "=" + path + " (" + namedBy
          + "): no such file", e);
    } catch (IOException e) {
      throw new ConfigurationException(ConfigKey.CONFIG.key + "=" + path + " (" + namedBy
          + "): cannot read it: " + e, e);
    }
  }

  /**
   * Reads the first {@value #RESOURCE} that {@code loader} finds, or returns {@link #none()}.
   *
   * @throws ConfigurationException if it is unreadable or malformed
   */
  static PropertiesFile fromClassPath(ClassLoader loader) {
    URL url;
    try {
      Enumeration<URL> found = loader.getResources(RESOURCE);
      if (!found.hasMoreElements()) {
        return none();
      }
      url = found.nextElement();
      if (found.hasMoreElements()) {
        // Like a logging configuration, the first on the class path wins; the rest are named so
        // that a surprise can be traced.
        List<URL> ignored = Collections.list(found);
        PlumbConfiguration.log.warn("several {} on the class path; using {} and ignoring {}",
            RESOURCE, url, ignored);
      }
    } catch (IOException e) {
      throw new ConfigurationException("cannot look for " + RESOURCE + " on the class path: "
          + e, e);
    }
    String description = "class path resource " + url;
    try (InputStream in = url.openStream()) {
      return read(in, description);
    } catch (IOException e) {
      throw new ConfigurationException(description + ": cannot read it: " + e, e);
    }
  }

  private static PropertiesFile read(InputStream in, String description) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    TreeSet<String> repeated = new TreeSet<>();
    // Properties.load calls put() for each line, which lets repeated keys be seen.
    Properties properties = new Properties() {
      private static final long serialVersionUID = 1L;

      @Override
      public synchronized Object put(Object key, Object value) {
        if (entries.put((String) key, (String) value) != null) {
          repeated.add((String) key);
        }
        return super.put(key, value);
      }
    };
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IllegalArgumentException e) {
      // A malformed \\uXXXX escape.
      throw new ConfigurationException(description + ": not a properties file: "
          + e.getMessage(), e);
    }
    return new PropertiesFile(description, entries, List.copyOf(repeated));
  }
}
