package dev.plumb.benchmarks.connections;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a process holds right now, read by the process itself: its threads and resident memory
 * ({@code /proc/self/status}), its open file descriptors ({@code /proc/self/fd}), its Java
 * heap in use after a full collection, and two kinds of its threads by name: Plumb's own
 * ({@code plumb-*}) less {@code tcp:}'s event loops, which are shared by every connection, so
 * the threads connections start; and gRPC's default executor's, which grow with the calls in
 * flight and end after a minute idle. One line of text carries it from the server to the load
 * test ({@link #toLine}, {@link #parse}).
 */
record ProcessFigures(long threads, long rssKib, long descriptors, long heapAfterGcBytes,
    long connectionThreads, long executorThreads) {
  static final String PREFIX = "FIGURES ";

  /** Reads this process's figures; collects garbage first, so the heap is what is live. */
  static ProcessFigures ofThisProcess() throws IOException {
    // Twice: objects with finalizers or cleaners survive the first.
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long threads = -1;
    long rss = -1;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Threads:")) {
        threads = number(line);
      } else if (line.startsWith("VmRSS:")) {
        rss = number(line);
      }
    }
    long descriptors = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path ignored : fds) {
        descriptors++;
      }
    }
    long connectionThreads = 0;
    long executorThreads = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (name.startsWith("plumb-") && !name.startsWith("plumb-tcp-")) {
        connectionThreads++;
      } else if (name.startsWith("grpc-default-executor")) {
        executorThreads++;
      }
    }
    return new ProcessFigures(threads, rss, descriptors - 1, heap,  // Less the listing's own fd.
        connectionThreads, executorThreads);
  }

  private static long number(String statusLine) {
    return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
  }

  String toLine() {
    return String.format(Locale.ROOT,
        "%sthreads=%d rssKib=%d fds=%d heapAfterGc=%d connectionThreads=%d executorThreads=%d",
        PREFIX, threads, rssKib, descriptors, heapAfterGcBytes, connectionThreads,
        executorThreads);
  }

  static ProcessFigures parse(String line) {
    String[] fields = line.substring(PREFIX.length()).split(" ");
    return new ProcessFigures(value(fields[0]), value(fields[1]), value(fields[2]),
        value(fields[3]), value(fields[4]), value(fields[5]));
  }

  private static long value(String field) {
    return Long.parseLong(field.substring(field.indexOf('=') + 1));
  }
}
