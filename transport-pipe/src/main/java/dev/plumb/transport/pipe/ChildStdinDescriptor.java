package dev.plumb.transport.pipe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The descriptor this process writes a child's stdin through, found in Linux's {@code /proc}:
 * Java does not tell a {@code Process}'s descriptors without opening the JDK's internals.
 *
 * <p>The child's descriptor 0 names its pipe ({@code pipe:[INODE]}); of this process's
 * descriptors, the one open on that pipe for writing is the write end the JDK kept. The JDK
 * gives the child no other descriptor of ours, so no other pipe of ours can be there. Looked up
 * right after the start: a {@code stdio:} child moves its protocol off descriptor 0 once its
 * JVM is up, and a lookup after that finds no pipe there and nothing.
 */
final class ChildStdinDescriptor {
  /** {@code O_ACCMODE} and {@code O_WRONLY}, the same on every Linux architecture. */
  private static final int ACCESS_MODE = 3;
  private static final int WRITE_ONLY = 1;

  private ChildStdinDescriptor() {}

  /** This process's write end of process {@code pid}'s stdin, if it can be told. */
  static OptionalInt of(long pid) {
    try {
      String pipe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "0"))
          .toString();
      if (!pipe.startsWith("pipe:")) {
        return OptionalInt.empty();
      }
      List<Integer> writeEnds = new ArrayList<>();
      try (DirectoryStream<Path> open = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
        for (Path entry : open) {
          if (pipe.equals(target(entry)) && isWriteOnly(entry.getFileName().toString())) {
            writeEnds.add(Integer.parseInt(entry.getFileName().toString()));
          }
        }
      }
      return writeEnds.size() == 1 ? OptionalInt.of(writeEnds.get(0)) : OptionalInt.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();  // No /proc, the child is gone, or not ours to look into.
    }
  }

  private static String target(Path entry) {
    try {
      return Files.readSymbolicLink(entry).toString();
    } catch (IOException e) {
      return null;  // Closed meanwhile (the directory stream's own descriptor, say).
    }
  }

  /** Whether descriptor {@code fd} is open for writing only: {@code flags:} is octal. */
  private static boolean isWriteOnly(String fd) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd))) {
        if (line.startsWith("flags:")) {
          int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
          return (flags & ACCESS_MODE) == WRITE_ONLY;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Closed meanwhile.
    }
    return false;
  }
}
