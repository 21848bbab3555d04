package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UnitsTest {
  @Test
  void sizesTakeBinaryUnitsInEitherCase() {
    assertEquals(65536, Units.parseIntSize("65536"));
    assertEquals(65536, Units.parseIntSize("64k"));
    assertEquals(65536, Units.parseIntSize("64K"));
    assertEquals(4 * 1024 * 1024, Units.parseIntSize(" 4m "));
    assertEquals(1L << 30, Units.parseSize("1g", Long.MAX_VALUE));
    assertEquals(0, Units.parseIntSize("0"));
  }

  @Test
  void badSizesSayWhatIsAccepted() {
    for (String bad : new String[] {"", "k", "4 m", "4mb", "-1", "1.5m", "64kk", "0x10"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Units.parseIntSize(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "' is not a size"), e.getMessage());
      assertTrue(e.getMessage().contains(Units.SIZE_FORM), e.getMessage());
    }
  }

  @Test
  void sizesAboveTheLimitAreRejectedWithTheLimit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Units.parseIntSize("2g"));
    assertTrue(e.getMessage().contains("the most is 2147483647 bytes"), e.getMessage());
    assertEquals(Integer.MAX_VALUE, Units.parseIntSize("2147483647"));
    // Past a long: overflow is caught, not wrapped around.
    assertThrows(IllegalArgumentException.class,
        () -> Units.parseSize("9999999999999999999g", Long.MAX_VALUE));
  }

  @Test
  void durationsNeedAUnit() {
    assertEquals(Duration.ofNanos(7), Units.parseDuration("7ns"));
    assertEquals(Duration.ofNanos(7000), Units.parseDuration("7us"));
    assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(10), Units.parseDuration("10S"));
    assertEquals(Duration.ofMinutes(2), Units.parseDuration("2m"));
    assertEquals(Duration.ofHours(1), Units.parseDuration("1h"));
    for (String bad : new String[] {"10", "s", "1.5s", "-1s", "10 sec", "1d", ""}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(bad), bad);
      assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
      assertTrue(e.getMessage().contains("500ms, 10s, 5m"), e.getMessage());
    }
  }

  @Test
  void durationsThatDoNotFitAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Units.parseDuration("9999999999h"));
    assertTrue(e.getMessage().contains("too long"), e.getMessage());
  }
}
