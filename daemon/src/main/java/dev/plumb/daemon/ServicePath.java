package dev.plumb.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The jars and class directories of {@code --service-path}: an application's services and
 * what they need besides what the daemon has (gRPC, protobuf, Plumb, SLF4J), in a class loader
 * of their own whose parent is the daemon's. The services to host are the classes they
 * register, in their own {@code META-INF/services/io.grpc.BindableService} files; those of the
 * daemon's class path do not count.
 */
final class ServicePath {
  static final String REGISTRATIONS = "META-INF/services/io.grpc.BindableService";

  private final List<Path> entries;
  private final URLClassLoader loader;

  private ServicePath(List<Path> entries, URLClassLoader loader) {
    this.entries = entries;
    this.loader = loader;
  }

  /**
   * The entries of {@code paths}, each a list separated by the platform's path separator
   * ({@code :}), in a class loader whose parent is {@code parent}.
   *
   * @throws IllegalArgumentException naming an entry that is neither a file nor a directory
   */
  static ServicePath of(List<String> paths, ClassLoader parent) {
    List<Path> entries = new ArrayList<>();
    List<URL> urls = new ArrayList<>();
    for (String path : paths) {
      for (String entry : path.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        Path file = Path.of(entry).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) && !Files.isDirectory(file)) {
          throw new IllegalArgumentException("--service-path " + entry + ": no such jar or"
              + " directory");
        }
        entries.add(file);
        try {
          urls.add(file.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException("--service-path " + entry + ": " + e.getMessage(), e);
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("--service-path names no jar or directory");
    }
    return new ServicePath(Collections.unmodifiableList(entries),
        new URLClassLoader("plumb-service-path", urls.toArray(URL[]::new), parent));
  }

  ClassLoader loader() {
    return loader;
  }

  /**
   * The class names that the service path's own entries register, in their order, each once.
   *
   * @throws IllegalArgumentException if none does, saying how to name services instead
   */
  List<String> registeredServices() {
    Set<String> names = new LinkedHashSet<>();
    try {
      // findResources: these entries only, not the daemon's class path above them.
      for (URL file : Collections.list(loader.findResources(REGISTRATIONS))) {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
          reader.lines().map(line -> line.replaceFirst("#.*", "").trim())
              .filter(line -> !line.isEmpty()).forEach(names::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + REGISTRATIONS + " in " + describe(), e);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--service-path " + describe() + ": no jar or directory"
          + " there registers a service in " + REGISTRATIONS + "; name the classes with"
          + " --service");
    }
    return List.copyOf(names);
  }

  /** The entries, as written on a command line. */
  String describe() {
    List<String> written = new ArrayList<>();
    entries.forEach(entry -> written.add(entry.toString()));
    return String.join(File.pathSeparator, written);
  }
}
