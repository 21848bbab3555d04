package dev.plumb.benchmarks.server;

import java.util.HashMap;
import java.util.Map;

/**
 * A process's total of a per-thread counter (bytes allocated, voluntary context switches) that
 * never goes down as threads end: a thread that is gone keeps counting with the value it had
 * when last seen; only what it added after that is lost. Summing the live threads alone, as
 * the driver once did, made a reading fall when a long-lived thread ended between two readings
 * (a closed channel's event loop, say), and differences came out negative.
 */
final class ThreadTotals {
  private final Map<Long, Long> lastSeen = new HashMap<>();
  private long ended;

  /** The total, given each live thread's counter now (by an id never reused while alive). */
  synchronized long total(Map<Long, Long> live) {
    for (Map.Entry<Long, Long> seen : lastSeen.entrySet()) {
      Long now = live.get(seen.getKey());
      // A counter that went down is a new thread that was given an ended one's id.
      if (now == null || now < seen.getValue()) {
        ended += seen.getValue();
      }
    }
    lastSeen.clear();
    lastSeen.putAll(live);
    long total = ended;
    for (long value : live.values()) {
      total += value;
    }
    return total;
  }
}
