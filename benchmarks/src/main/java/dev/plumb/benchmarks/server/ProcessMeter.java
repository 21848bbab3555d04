package dev.plumb.benchmarks.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this JVM has spent so far: CPU time of the whole process, bytes allocated by its live
 * threads, and how often its live threads blocked and were woken (voluntary context switches,
 * Linux only). Differences of two readings around a measurement give its cost.
 *
 * <p>Allocation is the sum of {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}
 * over the threads alive at the time of reading, so bytes allocated by a thread that ended in
 * between are missed; pooled threads (event loops, gRPC executors) live long, so the error is
 * small. Thread-safe.
 */
public final class ProcessMeter {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ProcessMeter() {}

  /** One reading of a process's counters; -1 where unknown. */
  public record Reading(long cpuNanos, long allocatedBytes, long contextSwitches) {
    /** What was spent from {@code earlier} to this reading. */
    public Reading minus(Reading earlier) {
      return new Reading(cpuNanos - earlier.cpuNanos, allocatedBytes - earlier.allocatedBytes,
          contextSwitches < 0 || earlier.contextSwitches < 0 ? -1
              : contextSwitches - earlier.contextSwitches);
    }
  }

  public static Reading read() {
    return new Reading(OS.getProcessCpuTime(), allocatedBytes(),
        voluntaryContextSwitches(ProcessHandle.current().pid()));
  }

  /**
   * The voluntary context switches of process {@code pid}'s live threads, summed over
   * {@code /proc/PID/task/TID/status}; -1 where there is no such file (not Linux). A thread
   * switches voluntarily when it blocks (a read with no data, a park, a lock), so in a
   * request-response exchange it counts the hand-offs between threads.
   */
  public static long voluntaryContextSwitches(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long total = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          for (String line : Files.readAllLines(thread.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | UncheckedIOException threadEnded) {
          // The thread ended while we listed them; its switches are lost, as its bytes are.
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }

  /** Bytes allocated by this JVM's live threads, or -1 if the JVM does not measure it. */
  public static long allocatedBytes() {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      return -1;
    }
    long total = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      if (bytes > 0) {
        total += bytes;
      }
    }
    return total;
  }
}
