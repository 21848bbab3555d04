package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleJvmTest {
  @Test
  void aPipeTargetQuotesEveryWordAndRefusesAHash() {
    String target = ExampleJvm.pipeTarget("some.Main", List.of("it's", "a b"), "maxStarts=3");
    assertTrue(target.startsWith("pipe:'"), target);
    assertTrue(target.endsWith(" 'some.Main' 'it'\\''s' 'a b'#maxStarts=3"), target);
    assertThrows(IllegalArgumentException.class,
        () -> ExampleJvm.pipeTarget("some.Main", List.of("#1"), ""));
  }
}
