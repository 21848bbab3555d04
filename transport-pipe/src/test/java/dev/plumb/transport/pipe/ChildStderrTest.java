package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child's stderr reaches the log in bounded memory and at a bounded rate. */
@Timeout(60)
class ChildStderrTest {
  private static final int HUNDRED_MB = 100_000_000;

  @Test
  void aHundredMegabyteLineWithoutANewlineIsCutAndReadInFixedMemory() throws Exception {
    // A real child writing one 100 MB line through a real pipe, then a short one.
    Process child = new ProcessBuilder("sh", "-c", "head -c " + HUNDRED_MB
        + " /dev/zero | tr '\\000' x; printf '\\nafter\\n'").start();
    List<String> lines = new ArrayList<>();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    ChildStderr.copy(child.getInputStream(), lines::add, System::nanoTime);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    System.out.println("reading a 100 MB line allocated " + allocated + " bytes");
    // The line itself would be 100 MB as bytes and 200 MB as a String's chars.
    assertTrue(allocated < 10_000_000, "reading allocated " + allocated + " bytes");
    assertEquals(2, lines.size(), "lines: " + lines.size());
    assertTrue(lines.get(0).equals("x".repeat(ChildStderr.MAX_LINE_BYTES)
        + BoundedLines.cutMarker(ChildStderr.MAX_LINE_BYTES)), "the first line is not cut");
    assertEquals("after", lines.get(1));
  }

  @Test
  void linesPastTheBudgetAreLeftOutAndCountedInTheNextWindow() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 2500; i++) {
      text.append(i).append('\n');
    }
    // 5 ms per line: the first window of 10 s holds lines 1 to 2000.
    AtomicLong nanos = new AtomicLong();
    List<String> lines = new ArrayList<>();
    ChildStderr.copy(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
        lines::add, () -> nanos.getAndAdd(TimeUnit.MILLISECONDS.toNanos(5)));
    assertEquals(ChildStderr.LINES_PER_WINDOW + 500, lines.size());
    assertEquals(Integer.toString(ChildStderr.LINES_PER_WINDOW),
        lines.get(ChildStderr.LINES_PER_WINDOW - 1));
    assertEquals("(1000 lines left out: more than 1000 in 10 s) 2001",
        lines.get(ChildStderr.LINES_PER_WINDOW));
    assertEquals("2500", lines.get(lines.size() - 1));
  }

  @Test
  void linesEndAtNewlinesWithoutTheCarriageReturnAndAtTheEnd() throws IOException {
    assertEquals(List.of("one", "two", "", "three"), split("one\r\ntwo\n\nthree", 16));
  }

  @Test
  void aLineOfExactlyTheLimitIsKeptWholeAndOneByteMoreIsCut() throws IOException {
    assertEquals(List.of("abcd", "abcd" + BoundedLines.cutMarker(4), "next"),
        split("abcd\nabcde\nnext\n", 4));
  }

  @Test
  void aCharacterCutInHalfBecomesAReplacementCharacter() throws IOException {
    // "é" is two bytes in UTF-8; the limit falls between them.
    assertEquals(List.of("ab\uFFFD" + BoundedLines.cutMarker(3)), split("abé", 3));
  }

  private static List<String> split(String text, int maxLineBytes) throws IOException {
    List<String> lines = new ArrayList<>();
    BoundedLines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        maxLineBytes, lines::add);
    return lines;
  }
}
