package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.examples.filter.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrepDemoTest {
  @Test
  void theLocalFilterNumbersLinesFromOne() {
    assertEquals(List.of(match(2, "b1"), match(4, "b2")),
        GrepDemo.localGrep(List.of("a", "b1", "c", "b2").iterator(), "b\\d"));
  }

  private static Match match(long number, String line) {
    return Match.newBuilder().setNumber(number).setLine(line).build();
  }
}
