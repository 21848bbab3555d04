package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessListTest {
  @Test
  void aProcessLineIsKnownByItsSecondColumn() {
    String line = "alice     4300  4242  2 09:02 pts/0    00:00:09 java -jar server.jar";
    assertTrue(ProcessList.isLineOf(line, 4300));
    assertFalse(ProcessList.isLineOf(line, 4242));
    assertFalse(ProcessList.isLineOf("", 4300));
  }
}
