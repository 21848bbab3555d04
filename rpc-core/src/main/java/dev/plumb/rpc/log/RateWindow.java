package dev.plumb.rpc.log;

import java.time.Duration;

/**
 * A budget of {@code limit} events per fixed window of {@code interval}, the window starting
 * at the first event after the last one ended: what keeps a peer from flooding a log. It
 * counts the events it turns away and hands the count to the next event it lets through.
 * Thread-safe.
 */
public final class RateWindow {
  private final int limit;
  private final long intervalNanos;
  private long start;
  private int admitted;
  private long refused;
  private boolean started;

  /**
   * @param limit events admitted per interval, at least 1
   * @param interval the length of each window, more than 0
   */
  public RateWindow(int limit, Duration interval) {
    check(limit, interval);
    this.limit = limit;
    this.intervalNanos = interval.toNanos();
  }

  static void check(int limit, Duration interval) {
    if (limit < 1 || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("limit must be at least 1 and the interval more than"
          + " 0; got " + limit + " per " + interval);
    }
  }

  /**
   * Counts one event at {@code nowNanos} ({@link System#nanoTime}'s scale): -1 if it is to be
   * left out, else the number left out since the last one admitted. Synchronized: the check
   * and the count must be one step for threads that count at once.
   */
  public synchronized long admit(long nowNanos) {
    if (!started || nowNanos - start >= intervalNanos) {
      started = true;
      start = nowNanos;
      admitted = 0;
    }
    if (admitted == limit) {
      refused++;
      return -1;
    }
    admitted++;
    long reported = refused;
    refused = 0;
    return reported;
  }
}
