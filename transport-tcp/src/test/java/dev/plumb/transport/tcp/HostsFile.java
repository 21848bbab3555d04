package dev.plumb.transport.tcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A hosts file that a client JVM reads for its name lookups ({@code -Djdk.net.hosts.file}),
 * rewritten as DNS would change its answer. Written whole and moved into place, so a lookup
 * never reads half a file.
 */
final class HostsFile {
  private final Path file;

  HostsFile(Path directory) throws IOException {
    this.file = directory.resolve("hosts");
    Files.writeString(file, "");
  }

  Path path() {
    return file;
  }

  /** {@code name} has {@code ips} from now on, in that order; no other name has any. */
  void set(String name, String... ips) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String ip : ips) {
      lines.append(ip).append(' ').append(name).append('\n');
    }
    Path next = file.resolveSibling("hosts.next");
    Files.writeString(next, lines);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
