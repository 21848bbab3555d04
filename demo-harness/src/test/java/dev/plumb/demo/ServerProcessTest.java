package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerProcessTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  @AfterEach
  void noChildLeftBehind() {
    assertEquals(List.of(), ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .map(child -> child.pid() + " " + child.info().commandLine().orElse("?"))
        .toList());
  }

  @Test
  void startsTheDaemonAndStopsItOnClose() throws Exception {
    ServerProcess server = ServerProcess.startDaemon("tcp://127.0.0.1:0", READY_TIMEOUT);
    try {
      assertTrue(server.address().matches("tcp://127\\.0\\.0\\.1:\\d+"), server.address());
      assertTrue(server.isAlive());
    } finally {
      server.close();
    }
    assertFalse(server.isAlive());
    assertEquals(0, server.exitCode(), "a graceful exit at the end of its stdin");
    server.close(); // idempotent
  }

  @Test
  void aChildThatPrintsSomethingElseIsReportedAndStopped() {
    IOException e = assertThrows(IOException.class, () -> ServerProcess.start(
        FakeServers.PrintsSomethingElse.class.getName(), List.of(), READY_TIMEOUT));
    assertTrue(e.getMessage().contains("printed 'hello, I am not a server' where 'READY "
        + "<address>' was expected"), e.getMessage());
  }

  @Test
  void aChildThatExitsIsReportedWithItsExitCode() {
    IOException e = assertThrows(IOException.class, () -> ServerProcess.start(
        FakeServers.ExitsAtOnce.class.getName(), List.of(), READY_TIMEOUT));
    assertTrue(e.getMessage().contains("exited with code 3 before it was ready"),
        e.getMessage());
  }

  @Test
  void aSilentChildTimesOutAndIsStopped() {
    IOException e = assertThrows(IOException.class, () -> ServerProcess.start(
        FakeServers.SaysNothing.class.getName(), List.of(), Duration.ofMillis(500)));
    assertTrue(e.getMessage().contains("printed nothing within"), e.getMessage());
  }
}
