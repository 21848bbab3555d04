package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {
  @Test
  void aPipeTargetQuotesEveryWordAndRefusesAHash() {
    String target = JavaCommand.pipeTarget("some.Main", List.of("it's", "a b"), "maxStarts=3");
    assertTrue(target.startsWith("pipe:'"), target);
    assertTrue(target.endsWith(" 'some.Main' 'it'\\''s' 'a b'#maxStarts=3"), target);
    assertThrows(IllegalArgumentException.class,
        () -> JavaCommand.pipeTarget("some.Main", List.of("#1"), ""));
  }
}
