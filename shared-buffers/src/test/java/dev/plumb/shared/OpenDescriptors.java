package dev.plumb.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process's open descriptors, each named by its number, what it links to and that file's
 * inode: tests in one JVM close and open descriptors meanwhile (a received buffer goes when its
 * message is garbage), and the kernel hands a closed number out again, so a number alone does
 * not say whether a descriptor is new.
 */
final class OpenDescriptors {
  private OpenDescriptors() {}

  /** Descriptors of process {@code pid}: identity to path in {@code /proc/<pid>/fd}. */
  static Map<String, Path> of(long pid) {
    Map<String, Path> descriptors = new HashMap<>();
    try (Stream<Path> fds = Files.list(Paths.get("/proc/" + pid + "/fd"))) {
      fds.forEach(fd -> {
        try {
          descriptors.put(fd.getFileName() + "->" + Files.readSymbolicLink(fd) + "#"
              + Files.getAttribute(fd, "unix:ino"), fd);
        } catch (IOException | UnsupportedOperationException e) {
          // Closed while listed (the listing's own, say).
        }
      });
    } catch (IOException e) {
      throw new AssertionError("cannot list the descriptors of " + pid, e);
    }
    return descriptors;
  }

  /** This process's descriptors. */
  static Map<String, Path> own() {
    return of(ProcessHandle.current().pid());
  }

  /** Those of {@code now} that {@code before} did not have. */
  static Map<String, Path> since(Map<String, Path> before, Map<String, Path> now) {
    Map<String, Path> added = new HashMap<>(now);
    added.keySet().removeAll(before.keySet());
    return added;
  }

  /** Those of {@code descriptors} that are shared buffers' memfds. */
  static Map<String, Path> memfds(Map<String, Path> descriptors) {
    Map<String, Path> memfds = new HashMap<>();
    descriptors.forEach((identity, path) -> {
      if (identity.contains("->/memfd:" + Memfd.NAME)) {
        memfds.put(identity, path);
      }
    });
    return memfds;
  }

  /** Those of {@code descriptors} that are files in {@code /dev/shm}. */
  static Map<String, Path> inDevShm(Map<String, Path> descriptors) {
    Map<String, Path> shm = new HashMap<>();
    descriptors.forEach((identity, path) -> {
      if (identity.contains("->/dev/shm/")) {
        shm.put(identity, path);
      }
    });
    return shm;
  }
}
