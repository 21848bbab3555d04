package dev.plumb.childjvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {
  @Test
  void theCommandRunsThisJvmsJavaWithItsClassPath() {
    List<String> command = JavaCommand.of(List.of("-Xmx64m"), "some.Main", List.of("a", "b"));
    assertTrue(command.get(0).startsWith(System.getProperty("java.home")), command.get(0));
    assertEquals(List.of("-Xmx64m", "-cp", System.getProperty("java.class.path"), "some.Main",
        "a", "b"), command.subList(1, command.size()));
  }

  @Test
  void propertiesWithThePrefixAreInheritedInOrder() {
    System.setProperty("plumbtest.childjvm.b", "2");
    System.setProperty("plumbtest.childjvm.a", "1 1");
    try {
      assertEquals(List.of("-Dplumbtest.childjvm.a=1 1", "-Dplumbtest.childjvm.b=2"),
          JavaCommand.inheritedProperties("plumbtest.childjvm."));
    } finally {
      System.clearProperty("plumbtest.childjvm.a");
      System.clearProperty("plumbtest.childjvm.b");
    }
  }

  @Test
  void quotedWordsKeepBlanksAndQuotes() {
    assertEquals("'some.Main' 'it'\\''s' 'a b'",
        JavaCommand.quoted(List.of("some.Main", "it's", "a b")));
  }
}
