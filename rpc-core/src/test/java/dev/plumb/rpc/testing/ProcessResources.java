package dev.plumb.rpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What another process holds, as Linux's {@code /proc} shows it from outside: its threads and
 * open descriptors, and whatever other counts a transport adds (mapped segments, say), each with
 * the slack a comparison to a baseline allows. Read from outside, so that measuring takes
 * nothing from the process measured.
 */
public final class ProcessResources {
  /** A connection's threads may take a moment to end; a pool may keep a thread or two. */
  public static final long THREAD_SLACK = 4;
  public static final long DESCRIPTOR_SLACK = 4;

  private record Gauge(LongUnaryOperator read, long slack) {}

  private final Map<String, Gauge> gauges = new LinkedHashMap<>();

  /** Threads and open descriptors. */
  public ProcessResources() {
    with("threads", pid -> entries(Path.of("/proc/" + pid + "/task")), THREAD_SLACK);
    with("open descriptors", pid -> entries(Path.of("/proc/" + pid + "/fd")), DESCRIPTOR_SLACK);
  }

  /**
   * Adds a count, read from process {@code pid} by {@code gauge}, under {@code name}; a reading
   * may exceed its baseline by {@code slack}.
   */
  public ProcessResources with(String name, LongUnaryOperator gauge, long slack) {
    gauges.put(name, new Gauge(gauge, slack));
    return this;
  }

  /** The counts of process {@code pid} now, by name, in the order they were added. */
  public Map<String, Long> read(long pid) {
    Map<String, Long> counts = new LinkedHashMap<>();
    gauges.forEach((name, gauge) -> counts.put(name, gauge.read().applyAsLong(pid)));
    return counts;
  }

  /** The counts of {@code now} above their baseline's slack, described; empty if none. */
  public List<String> excess(Map<String, Long> baseline, Map<String, Long> now) {
    List<String> over = new ArrayList<>();
    gauges.forEach((name, gauge) -> {
      if (now.get(name) > baseline.get(name) + gauge.slack()) {
        over.add(name + " " + now.get(name) + " (baseline " + baseline.get(name) + ", slack "
            + gauge.slack() + ")");
      }
    });
    return over;
  }

  /** The names of process {@code pid}'s threads (as the kernel keeps them: 15 characters), counted. */
  public static Map<String, Long> threadNames(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      return tasks.map(task -> {
        try {
          return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
          return "(ended)";
        }
      }).collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
    } catch (IOException e) {
      return Map.of();
    }
  }

  private static long entries(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.count();
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("no process behind " + directory + ": it exited", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
