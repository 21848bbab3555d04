package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void acceptsTheUsualForms() {
    assertEquals(Duration.ofSeconds(10), converter.convert("10s"));
    assertEquals(Duration.ofSeconds(7), converter.convert("7"));
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ZERO, converter.convert("0"));
    assertEquals(Duration.ofMillis(1500), converter.convert("PT1.5S"));
  }

  @Test
  void refusesTheRestSayingWhatItTakes() {
    for (String bad : new String[] {"", "ten", "-1s", "5 s", "PT-1S", "1d"}) {
      TypeConversionException e = assertThrows(TypeConversionException.class,
          () -> converter.convert(bad));
      assertEquals("'" + bad + "' is not a duration; write e.g. 10s, 500ms, 2m, 1h or PT10S",
          e.getMessage());
    }
  }
}
