package dev.plumb.demo.share;

import dev.plumb.demo.Checklist;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The shared buffers a running process holds: its descriptors of {@code memfd:plumb-shared}
 * segments, read from {@code /proc/<pid>/fd}. The producer keeps the latest data set's buffer
 * and nothing else once every loan's call has ended.
 */
final class ProducerMemfds {
  private static final String SEGMENT = "/memfd:plumb-shared";
  /** How often and how long {@link #check} looks again while calls are still ending. */
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private ProducerMemfds() {}

  /** How many of process {@code pid}'s descriptors are shared buffers. */
  static int count(long pid) throws IOException {
    int count = 0;
    try (DirectoryStream<Path> descriptors =
        Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path descriptor : descriptors) {
        try {
          if (Files.readSymbolicLink(descriptor).toString().startsWith(SEGMENT)) {
            count++;
          }
        } catch (IOException e) {
          // Closed while we listed: not held.
        }
      }
    }
    return count;
  }

  /**
   * Passes {@code checklist} if process {@code pid} holds at most {@code expected} shared
   * buffers. A call's descriptors are closed when the producer's side of the call ends, which
   * may come just after its consumer has exited; so it looks again, for a bounded time, before
   * it fails.
   */
  static void check(long pid, int expected, Checklist checklist) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    try {
      int held = count(pid);
      while (held > expected && System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
        held = count(pid);
      }
      if (held <= expected) {
        checklist.pass();
      } else {
        checklist.fail("the producer pid " + pid + " holds " + held + " shared buffers after"
            + " the loans ended; it keeps " + expected);
      }
    } catch (IOException e) {
      checklist.fail("cannot list the producer's descriptors: " + e.getMessage());
    }
  }
}
