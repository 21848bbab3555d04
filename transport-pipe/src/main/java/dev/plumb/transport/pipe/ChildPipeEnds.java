package dev.plumb.transport.pipe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * This process's descriptors of a child's stdin and stdout pipes, found in Linux's
 * {@code /proc}: Java does not tell a {@code Process}'s descriptors without opening the JDK's
 * internals.
 *
 * <p>The child's descriptor 0 (1) names its pipe ({@code pipe:[INODE]}); of this process's
 * descriptors, the one open on that pipe for writing (reading) is the end the JDK kept. The JDK
 * gives the child no other descriptor of ours, so no other pipe of ours can be there. Looked up
 * right after the start: a {@code stdio:} child moves its protocol off descriptors 0 and 1 once
 * its JVM is up, and a lookup after that finds no pipe there and nothing.
 */
final class ChildPipeEnds {
  /** {@code O_ACCMODE}, {@code O_RDONLY} and {@code O_WRONLY}, the same on every Linux. */
  private static final int ACCESS_MODE = 3;
  private static final int READ_ONLY = 0;
  private static final int WRITE_ONLY = 1;

  private ChildPipeEnds() {}

  /** This process's write end of process {@code pid}'s stdin, if it can be told. */
  static OptionalInt stdin(long pid) {
    return of(pid, 0, WRITE_ONLY);
  }

  /** This process's read end of process {@code pid}'s stdout, if it can be told. */
  static OptionalInt stdout(long pid) {
    return of(pid, 1, READ_ONLY);
  }

  /** Ours of the pipe on the child's {@code childFd}, open with {@code accessMode}. */
  private static OptionalInt of(long pid, int childFd, int accessMode) {
    try {
      String pipe = Files.readSymbolicLink(
          Path.of("/proc", Long.toString(pid), "fd", Integer.toString(childFd))).toString();
      if (!pipe.startsWith("pipe:")) {
        return OptionalInt.empty();
      }
      List<Integer> ends = new ArrayList<>();
      try (DirectoryStream<Path> open = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
        for (Path entry : open) {
          String fd = entry.getFileName().toString();
          if (pipe.equals(target(entry)) && accessMode(fd) == accessMode) {
            ends.add(Integer.parseInt(fd));
          }
        }
      }
      return ends.size() == 1 ? OptionalInt.of(ends.get(0)) : OptionalInt.empty();
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

  /** How descriptor {@code fd} is open ({@code flags:} is octal), or -1 if it is gone. */
  private static int accessMode(String fd) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd))) {
        if (line.startsWith("flags:")) {
          return Integer.parseInt(line.substring("flags:".length()).trim(), 8) & ACCESS_MODE;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Closed meanwhile.
    }
    return -1;
  }
}
