package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.ServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DaemonProcessTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void startsTheDaemonAndStopsItOnClose() throws Exception {
    ServerProcess server = DaemonProcess.start("tcp://127.0.0.1:0", READY_TIMEOUT);
    try {
      assertTrue(server.address().matches("tcp://127\\.0\\.0\\.1:\\d+"), server.address());
      assertTrue(server.isAlive());
    } finally {
      server.close();
    }
    assertFalse(server.isAlive());
    assertEquals(0, server.exitCode(), "a graceful exit at the end of its stdin");
  }
}
