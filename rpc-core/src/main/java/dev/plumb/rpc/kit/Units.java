package dev.plumb.rpc.kit;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The written forms of sizes and durations shared by Plumb's configuration keys and transport
 * options, so that {@code 64k} or {@code 500ms} mean the same everywhere.
 *
 * <ul>
 *   <li>A size is a whole number of bytes with an optional unit {@code k}, {@code m} or
 *       {@code g} (binary: 1k = 1024 bytes), upper or lower case: {@code 65536}, {@code 64k},
 *       {@code 4m}, {@code 1g}.
 *   <li>A duration is a whole number with a unit {@code ns}, {@code us}, {@code ms}, {@code s},
 *       {@code m} (minutes) or {@code h}: {@code 500ms}, {@code 10s}, {@code 5m}. A unit is
 *       required: a bare number could mean seconds or milliseconds.
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message quotes the text and gives the
 * accepted form; callers prefix the key it came from.
 */
public final class Units {
  /** The accepted form of a size, for error messages. */
  public static final String SIZE_FORM =
      "a whole number of bytes with an optional unit k, m or g (1k = 1024), e.g. 65536, 64k, 4m";
  /** The accepted form of a duration, for error messages. */
  public static final String DURATION_FORM =
      "a whole number with a unit ns, us, ms, s, m (minutes) or h, e.g. 500ms, 10s, 5m";

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([kmg]?)");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,19})(ns|us|ms|s|m|h)");

  private Units() {}

  /**
   * The number of bytes {@code text} names.
   *
   * @throws IllegalArgumentException if it is not a size, or exceeds {@code max}
   */
  public static long parseSize(String text, long max) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size; expected " + SIZE_FORM);
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    long bytes = -1;  // -1: more than a long holds.
    try {
      long number = Long.parseLong(m.group(1));
      bytes = number > (Long.MAX_VALUE >> shift) ? -1 : number << shift;
    } catch (NumberFormatException e) {
      // Nineteen digits past Long.MAX_VALUE.
    }
    if (bytes < 0 || bytes > max) {
      throw new IllegalArgumentException("'" + text + "' is too large; the most is " + max
          + " bytes");
    }
    return bytes;
  }

  /** As {@link #parseSize(String, long)}, for values that must fit an {@code int}. */
  public static int parseIntSize(String text) {
    return (int) parseSize(text, Integer.MAX_VALUE);
  }

  /**
   * The duration {@code text} names; never negative.
   *
   * @throws IllegalArgumentException if it is not a duration or does not fit in nanoseconds
   *     held by a {@code long} (about 292 years)
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; expected "
          + DURATION_FORM);
    }
    try {
      long number = Long.parseLong(m.group(1));
      Duration duration = switch (m.group(2)) {
        case "ns" -> Duration.ofNanos(number);
        case "us" -> Duration.ofNanos(Math.multiplyExact(number, 1000L));
        case "ms" -> Duration.ofMillis(number);
        case "s" -> Duration.ofSeconds(number);
        case "m" -> Duration.ofMinutes(number);
        default -> Duration.ofHours(number);
      };
      duration.toNanos();  // Throws ArithmeticException if it does not fit.
      return duration;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration; the most is"
          + " about 292 years", e);
    }
  }
}
