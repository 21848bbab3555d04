package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.GrepDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GrepCheckTest {
  @Test
  void aboutOneGeneratedLineInTenMatches() {
    List<String> lines = new ArrayList<>();
    GrepCheck.generatedLines(1_000).forEachRemaining(lines::add);
    assertEquals(1_000, lines.size());
    assertTrue(lines.get(0).startsWith("entry 1 "), lines.get(0));
    assertEquals(100, GrepDemo.localGrep(lines.iterator(), GrepCheck.GENERATED_PATTERN).size());
    Iterator<String> none = GrepCheck.generatedLines(0);
    assertFalse(none.hasNext());
  }

  @Test
  void shownLinesLoseLongPathsAndClassPaths() {
    String classPath = String.join(java.io.File.pathSeparator, "/home/someone/project/a.jar",
        "/home/someone/project/target/classes");
    assertEquals("alice 42 1 …/java -cp … Main pts/0 ./x",
        GrepCheck.shorten("alice 42 1 /opt/java/jdk-17.0.15/bin/java -cp " + classPath
            + " Main pts/0 ./x"));
    String long_ = "y".repeat(500);
    assertEquals(140, GrepCheck.shorten(long_).length());
    assertTrue(GrepCheck.shorten(long_).endsWith("…"));
  }

  @Test
  void theSummaryNamesWhatMatchedAndWhatWasWrong() {
    GrepResult right = new GrepResult(7, "ps -ef", 90, 2, 20_000, 123_456.7, 3, 3, List.of());
    assertEquals("grep over pipe: 2 of 90 lines of ps -ef matched; 20,000 generated lines at"
        + " 123,457 lines/s; all 3 right", right.summary());
    GrepResult wrong = new GrepResult(-1, "ps -ef", 0, 0, 20_000, Double.NaN, 0, 0,
        List.of("grep of ps -ef: UNAVAILABLE"));
    assertEquals("grep over pipe: no process lines; 1 WRONG", wrong.summary());
  }

  /** The whole example against a real filter child, in short. */
  @Test
  void theExampleGetsEveryAnswerRightAndLeavesNoChild() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    GrepResult result = new GrepCheck(DemoSettings.QUICK,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run(GrepCheck.DEFAULT_PATTERN);
    String log = progress.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), result.failures(), log);
    assertEquals(3, result.checksPassed(), log);
    assertTrue(result.processMatches() >= 1, log);
    assertTrue(log.contains("grep: the filter child's own line is among them"), log);
    assertTrue(log.contains("grep: '(' was refused: INVALID_ARGUMENT: '(' is not a valid"
        + " regular expression"), log);
    assertTrue(log.contains("grep: filter child pid " + result.childPid() + " exited"), log);
    assertFalse(ProcessHandle.of(result.childPid()).map(ProcessHandle::isAlive).orElse(false),
        "the filter child outlived its channel");
    assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid).toList(), "processes the example left behind");
  }
}
