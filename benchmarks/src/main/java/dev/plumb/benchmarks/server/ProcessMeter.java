package dev.plumb.benchmarks.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this JVM has spent so far: CPU time of the whole process, bytes allocated by its live
 * threads, and how often its live threads blocked and were woken (voluntary context switches,
 * Linux only). Differences of two readings around a measurement give its cost.
 *
 * <p>Allocation is the sum of {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}
 * over the threads, and wake-ups the sum over {@code /proc/PID/task}, each kept by a
 * {@link ThreadTotals} so that a thread's count stays in the total after it ends; what a thread
 * did between the last reading and its end is missed, a small error as pooled threads (event
 * loops, gRPC executors) live long. Thread-safe.
 */
public final class ProcessMeter {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final ThreadTotals ALLOCATED = new ThreadTotals();
  private static final Map<Long, ThreadTotals> SWITCHES = new ConcurrentHashMap<>();

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
   * The voluntary context switches of process {@code pid}'s threads, summed over
   * {@code /proc/PID/task/TID/status}; -1 where there is no such file (not Linux). A thread
   * switches voluntarily when it blocks (a read with no data, a park, a lock), so in a
   * request-response exchange it counts the hand-offs between threads.
   */
  public static long voluntaryContextSwitches(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    Map<Long, Long> live = new HashMap<>();
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          for (String line : Files.readAllLines(thread.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              live.put(Long.parseLong(thread.getFileName().toString()),
                  Long.parseLong(line.substring(line.indexOf(':') + 1).trim()));
            }
          }
        } catch (IOException | UncheckedIOException threadEnded) {
          // The thread ended while we listed them: it counts with what it had when last seen.
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return SWITCHES.computeIfAbsent(pid, any -> new ThreadTotals()).total(live);
  }

  /** Bytes allocated by this JVM's threads, or -1 if the JVM does not measure it. */
  public static long allocatedBytes() {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      return -1;
    }
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> live = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] > 0) {
        live.put(ids[i], bytes[i]);
      }
    }
    return ALLOCATED.total(live);
  }
}
