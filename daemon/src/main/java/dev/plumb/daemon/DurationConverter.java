package dev.plumb.daemon;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration as people write it on a command line: {@code 10s}, {@code 500ms}, {@code 2m},
 * {@code 0}, or ISO-8601 ({@code PT10S}). A bare number is seconds.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    Matcher simple = SIMPLE.matcher(value.trim());
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      String unit = simple.group(2) == null ? "s" : simple.group(2);
      switch (unit) {
        case "ms":
          return Duration.ofMillis(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofSeconds(amount);
      }
    }
    try {
      Duration duration = Duration.parse(value.trim());
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException e) {
      // Reported below, with the forms that are accepted.
    }
    throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 10s,"
        + " 500ms, 2m, 1h or PT10S");
  }
}
