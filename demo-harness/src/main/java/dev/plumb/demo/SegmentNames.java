package dev.plumb.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared-memory segments a process left in {@code /dev/shm}. An {@code shm:} server names each
 * segment {@code plumb-<its pid>-<random>} and removes the name as soon as it has mapped it
 * (docs/TRANSPORTS.md), so once the server has exited none of its names may remain: the demo
 * checks this for every server it ran, over every transport.
 */
public final class SegmentNames {
  private static final Path DIRECTORY = Path.of("/dev/shm");

  private SegmentNames() {}

  /** The names in {@code /dev/shm} of segments made by process {@code pid}; none, normally. */
  public static List<String> leftBy(long pid) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(DIRECTORY)) {
      return names;
    }
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(DIRECTORY, "plumb-" + pid + "-*")) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + DIRECTORY, e);
    }
    return names;
  }

  /**
   * Passes {@code checklist} if process {@code pid} (which has exited) left no segment name,
   * and fails it with the names otherwise.
   */
  public static void check(String what, long pid, Checklist checklist) {
    List<String> left = leftBy(pid);
    if (left.isEmpty()) {
      checklist.pass();
    } else {
      checklist.fail(what + " pid " + pid + " left " + left.size()
          + " shared-memory segment name(s) in " + DIRECTORY + ": " + left);
    }
  }
}
