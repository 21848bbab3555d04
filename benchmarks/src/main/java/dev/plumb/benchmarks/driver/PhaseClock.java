package dev.plumb.benchmarks.driver;

import java.util.Locale;

/** Seconds spent in each phase of a repetition, for the progress log. One thread. */
final class PhaseClock {
  private final StringBuilder laps = new StringBuilder();
  private long last;

  void start() {
    last = System.nanoTime();
  }

  void lap(String phase) {
    long now = System.nanoTime();
    laps.append(laps.length() == 0 ? "" : ", ").append(phase).append(' ')
        .append(String.format(Locale.ROOT, "%.1f s", (now - last) / 1e9));
    last = now;
  }

  @Override
  public String toString() {
    return laps.toString();
  }
}
