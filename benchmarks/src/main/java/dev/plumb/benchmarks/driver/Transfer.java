package dev.plumb.benchmarks.driver;

import java.time.Duration;

/**
 * One large transfer in one direction, timed from the first byte sent until the receiver has
 * confirmed the last: payload megabytes (10^6 bytes) per second.
 */
final class Transfer {
  /** Sends {@code bytes} in messages or writes of {@code chunk} bytes; returns what the receiver counted. */
  @FunctionalInterface
  interface Sender {
    long send(long bytes, int chunk) throws Exception;
  }

  private Transfer() {}

  static double megabytesPerSecond(long bytes, int chunk, Sender sender) throws Exception {
    long start = System.nanoTime();
    long received = sender.send(bytes, chunk);
    long elapsed = System.nanoTime() - start;
    if (received != bytes) {
      throw new IllegalStateException("sent " + bytes + " bytes, the receiver counted "
          + received);
    }
    return bytes / 1e6 / (elapsed / 1e9);
  }

  /**
   * How long a transfer may plan to take before its watchdog gives up (with
   * {@link CallLoop#SLACK} on top): as long as it would at 10 MB/s.
   */
  static Duration planned(long bytes) {
    return Duration.ofMillis(bytes / 10_000);
  }
}
