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
 * 4 MiB; both halves right, every process gone, no segment name and no socket directory left.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareDemoTest {
  private static final DataSet DATA = new DataSet(DataSet.DEFAULT_SEED, 4L << 20, 64 * 1024);

  @Test
  void overShmTwoConsumerProcessesGetTheirHalvesRightAndNothingIsLeft() throws Exception {
    TransportScenario scenario = TransportScenario.shm();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ShareResult result = new ShareDemo(DATA, Duration.ofSeconds(60),
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run(scenario);
    String log = progress.toString(StandardCharsets.UTF_8);

    assertEquals(List.of(), result.failures(), log);
    // Each consumer, the halves together, and no segment left by the producer.
    assertEquals(4, result.checksPassed(), log);
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
    assertTrue(result.togetherMiBPerSecond() > 0, log);
    assertTrue(log.contains("producer exited with code 0"), log);
    assertFalse(alive(result.producerPid()), "the producer outlived the run");
    assertEquals(List.of(), SegmentNames.leftBy(result.producerPid()));
    assertFalse(Files.exists(scenario.directory()), scenario.directory() + " was left");
    assertTrue(ShareTable.format(List.of(result)).contains("all 4 right"),
        ShareTable.format(List.of(result)));
  }

  @Test
  void aProducerThatCannotStartIsAFailureNotAHang() throws Exception {
    ShareResult result = new ShareDemo(DATA, Duration.ofSeconds(60),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(TransportScenario.separateServer("nope", "nope://nowhere"));
    assertFalse(result.passed());
    assertTrue(result.failures().get(0).startsWith("the producer did not start:"),
        result.failures().toString());
    assertTrue(result.consumers().isEmpty());
    assertTrue(ShareTable.format(List.of(result)).contains("share over nope: WRONG: the"
        + " producer did not start"));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
