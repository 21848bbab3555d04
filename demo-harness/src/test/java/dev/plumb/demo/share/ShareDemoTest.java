package dev.plumb.demo.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.demo.SegmentNames;
import dev.plumb.demo.TransportScenario;
import dev.plumb.examples.share.ConsumerReport;
import dev.plumb.examples.share.DataSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The share example across processes over {@code shm:}: a producer JVM and two consumer JVMs,
 * 4 MiB, streamed and then through one shared buffer; every half right, the producer holding
 * only the latest data set's buffer, every process gone, no segment name and no socket
 * directory left.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareDemoTest {
  private static final DataSet DATA = new DataSet(DataSet.DEFAULT_SEED, 4L << 20, 64 * 1024);

  @Test
  void overShmTwoConsumerProcessesGetTheirHalvesRightInBothModesAndNothingIsLeft()
      throws Exception {
    TransportScenario scenario = TransportScenario.shm();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    List<ShareResult> results = new ShareDemo(DATA, 2, Duration.ofMillis(200), Duration.ofSeconds(60),
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run(scenario);
    String log = progress.toString(StandardCharsets.UTF_8);

    assertEquals(List.of(ShareMode.STREAMED, ShareMode.SHARED),
        results.stream().map(ShareResult::mode).toList(), log);
    // Per round each consumer and the halves together; the shared row also its Prepare, and
    // the producer's checks: the buffers it holds, no segment left.
    assertEquals(6, results.get(0).checksPassed(), log);
    assertEquals(9, results.get(1).checksPassed(), log);
    assertTrue(log.contains("shm shared (round 2 of 2): together:"), log);
    for (ShareResult result : results) {
      assertEquals(List.of(), result.failures(), log);
      assertEquals(2, result.consumers().size(), log);
      long bytes = 0;
      for (ConsumerReport report : result.consumers()) {
        assertTrue(report.right(), report.describe());
        assertEquals(DATA.checksumOf(report.consumer(), 2), report.checksum());
        assertTrue(report.pid() != ProcessHandle.current().pid() && report.pid() > 0);
        assertFalse(alive(report.pid()), "consumer pid " + report.pid() + " outlived the run");
        bytes += report.bytes();
      }
      assertEquals(DATA.sizeBytes(), bytes);
      assertEquals(2, result.togetherByRound().size(), log);
      // Of two rounds, the median is the slower one.
      assertEquals(Math.min(result.togetherByRound().get(0), result.togetherByRound().get(1)),
          result.togetherMiBPerSecond(), 1e-9, log);
    }
    assertEquals(-1, results.get(0).makingNanos());
    assertTrue(results.get(1).makingNanos() > 0, log);
    assertTrue(log.contains("producer exited with code 0"), log);
    assertFalse(alive(results.get(0).producerPid()), "the producer outlived the run");
    assertEquals(List.of(), SegmentNames.leftBy(results.get(0).producerPid()));
    assertFalse(Files.exists(scenario.directory()), scenario.directory() + " was left");
    String table = ShareTable.format(results);
    assertTrue(table.contains("all 6 right") && table.contains("all 9 right"), table);
  }

  @Test
  void aProducerThatCannotStartIsAFailureNotAHang() throws Exception {
    List<ShareResult> results = new ShareDemo(DATA, 1, Duration.ZERO, Duration.ofSeconds(60),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(TransportScenario.separateServer("nope", "nope://nowhere"));
    for (ShareResult result : results) {
      assertFalse(result.passed());
      assertTrue(result.failures().get(0).startsWith("the producer did not start:"),
          result.failures().toString());
      assertTrue(result.consumers().isEmpty());
    }
    assertTrue(ShareTable.format(results).contains("share over nope shared: WRONG: the"
        + " producer did not start"), ShareTable.format(results));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
