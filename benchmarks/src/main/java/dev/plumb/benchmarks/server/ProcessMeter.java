package dev.plumb.benchmarks.server;

import java.lang.management.ManagementFactory;

/**
 * What this JVM has spent so far: CPU time of the whole process, and bytes allocated by its
 * live threads. Differences of two readings around a measurement give its cost.
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

  /** One reading of this process's counters. */
  public record Reading(long cpuNanos, long allocatedBytes) {
    /** What was spent from {@code earlier} to this reading. */
    public Reading minus(Reading earlier) {
      return new Reading(cpuNanos - earlier.cpuNanos, allocatedBytes - earlier.allocatedBytes);
    }
  }

  public static Reading read() {
    return new Reading(OS.getProcessCpuTime(), allocatedBytes());
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
