package dev.plumb.transport.pipe;

import dev.plumb.rpc.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The credentials of a process this one is piped to (its child, or its parent), read from
 * {@code /proc/PID/status} on Linux; uid and gid stay unknown where there is no /proc.
 */
final class ProcessCredentials {
  private ProcessCredentials() {}

  static PeerCredentials of(long pid) {
    long uid = -1;
    long gid = -1;
    try {
      for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Uid:")) {
          uid = firstNumber(line);
        } else if (line.startsWith("Gid:")) {
          gid = firstNumber(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // No /proc, or the process is gone: the ids stay unknown.
    }
    return PeerCredentials.of(pid, uid, gid);
  }

  /** "Uid:\t1000\t1000\t1000\t1000": the real id comes first. */
  private static long firstNumber(String line) {
    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
  }
}
