package dev.plumb.examples.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's own ids, from /proc/self/status (the tests run on Linux). */
final class Identities {
  private Identities() {}

  static long ownUid() throws IOException {
    return firstNumberOf("Uid:");
  }

  static long ownGid() throws IOException {
    return firstNumberOf("Gid:");
  }

  /** "Uid:\t1000\t1000\t1000\t1000": the real id comes first. */
  private static long firstNumberOf(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + key + " line in /proc/self/status");
  }
}
