package dev.plumb.benchmarks.driver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a process's threads, grouped by thread name, from Linux's
 * {@code /proc/PID/task/TID/stat}: every native thread, including the JIT compilers and GC
 * workers that {@code ThreadMXBean} does not list. Names are the kernel's first 15 characters
 * with trailing numbers removed, so {@code plumb-tcp-1} and {@code plumb-tcp-2} form one group
 * (and a long name loses its end: {@code grpc-default-executor-3} is {@code grpc-default-ex}). The
 * resolution is the clock tick (10 ms), enough over runs of seconds. Threads that ended between
 * two readings are lost. Empty where there is no {@code /proc}.
 */
final class ThreadCpu {
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ThreadCpu() {}

  /** Group name to CPU nanoseconds used so far by that group's live threads. */
  static Map<String, Long> read(long pid) {
    Map<String, Long> groups = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return groups;
    }
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          // After the name: state is field 3 of proc(5), so utime (14) and stime (15) are 11, 12.
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          groups.merge(group(stat.substring(open + 1, close)), ticks * NANOS_PER_TICK, Long::sum);
        } catch (IOException | RuntimeException threadEnded) {
          // Gone while listing, or a line we do not understand: leave it out.
        }
      }
    } catch (IOException e) {
      return groups;
    }
    return groups;
  }

  /** What each group used between two readings; groups that used nothing are left out. */
  static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> used = new HashMap<>();
    after.forEach((group, nanos) -> {
      long delta = nanos - before.getOrDefault(group, 0L);
      if (delta > 0) {
        used.put(group, delta);
      }
    });
    return used;
  }

  /** Whether a group is the JIT's compiler threads ({@code C1 CompilerThre}, {@code C2 ...}). */
  static boolean isCompiler(String group) {
    return group.contains("CompilerThre");
  }

  /** Trailing numbers go: {@code plumb-tcp-2} → {@code plumb-tcp}, {@code GC Thread#1} → {@code GC Thread}. */
  static String group(String threadName) {
    String name = threadName.replaceAll("([#\\-_ ]*\\d+)+$", "").trim();
    return name.isEmpty() ? threadName : name;
  }
}
