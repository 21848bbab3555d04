package dev.plumb.examples.share;

import java.util.HashMap;
import java.util.Map;

/**
 * What a consumer process reports: what it received ({@link ShareReceiver.Received}) and the
 * checksum it computed locally for its share. {@link ShareConsumer} prints it as one
 * {@value #PREFIX} line of {@code key=value} words, which the demo's {@code ShareDemo}
 * parses.
 *
 * @param consumer which share, 0 or 1
 * @param pid the consumer's process id
 * @param chunks chunks received
 * @param bytes bytes received
 * @param checksum the CRC-32C of the bytes received
 * @param expectedChecksum the CRC-32C of the share, computed by the consumer from the seed
 * @param nanos the call's duration
 * @param startMicros when the call started, microseconds since the epoch
 * @param endMicros when it ended, likewise
 * @param problem what was wrong with the stream, or null
 */
public record ConsumerReport(int consumer, long pid, long chunks, long bytes, long checksum,
    long expectedChecksum, long nanos, long startMicros, long endMicros, String problem) {
  public static final String PREFIX = "RESULT ";
  private static final double MIB = 1 << 20;

  static ConsumerReport of(int consumer, ShareReceiver.Received received,
      long expectedChecksum) {
    return new ConsumerReport(consumer, ProcessHandle.current().pid(), received.chunks(),
        received.bytes(), received.checksum(), expectedChecksum, received.nanos(),
        received.startMicros(), received.endMicros(), received.problem());
  }

  /** The stream was whole and its checksum is the one computed from the seed. */
  public boolean right() {
    return problem == null && checksum == expectedChecksum;
  }

  public double mibPerSecond() {
    return bytes / MIB / (nanos / 1e9);
  }

  /** {@code RESULT consumer=0 pid=... problem=...}; the problem, if any, runs to the end. */
  public String toLine() {
    return String.format("%sconsumer=%d pid=%d chunks=%d bytes=%d checksum=%08x expected=%08x"
        + " nanos=%d start=%d end=%d%s", PREFIX, consumer, pid, chunks, bytes, checksum,
        expectedChecksum, nanos, startMicros, endMicros,
        problem == null ? "" : " problem=" + problem);
  }

  /**
   * Reads a {@link #toLine} line.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static ConsumerReport parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a " + PREFIX.trim() + " line: " + line);
    }
    String body = line.substring(PREFIX.length());
    String problem = null;
    int at = body.indexOf(" problem=");
    if (at >= 0) {
      problem = body.substring(at + " problem=".length());
      body = body.substring(0, at);
    }
    Map<String, String> values = new HashMap<>();
    for (String word : body.split(" ")) {
      int equals = word.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("'" + word + "' is not key=value in: " + line);
      }
      values.put(word.substring(0, equals), word.substring(equals + 1));
    }
    try {
      return new ConsumerReport(Integer.parseInt(get(values, "consumer", line)),
          Long.parseLong(get(values, "pid", line)), Long.parseLong(get(values, "chunks", line)),
          Long.parseLong(get(values, "bytes", line)),
          Long.parseLong(get(values, "checksum", line), 16),
          Long.parseLong(get(values, "expected", line), 16),
          Long.parseLong(get(values, "nanos", line)), Long.parseLong(get(values, "start", line)),
          Long.parseLong(get(values, "end", line)), problem);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a bad number in: " + line, e);
    }
  }

  private static String get(Map<String, String> values, String key, String line) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key + "= in: " + line);
    }
    return value;
  }

  /** One line for people: what was received, how fast, and whether it was right. */
  public String describe() {
    return String.format("consumer %d (pid %d): %,d chunks, %.1f MiB in %.3f s = %.1f MiB/s;"
        + " CRC-32C %08x, %s", consumer, pid, chunks, bytes / MIB, nanos / 1e9, mibPerSecond(),
        checksum, problem != null ? "WRONG: " + problem
            : checksum == expectedChecksum ? "as computed from the seed"
            : String.format("WRONG: %08x computed from the seed", expectedChecksum));
  }
}
