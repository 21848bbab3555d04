package dev.plumb.childjvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerProcessTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  @AfterEach
  void noChildLeftBehind() {
    assertEquals(List.of(), ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .map(child -> child.pid() + " " + child.info().commandLine().orElse("?"))
        .toList());
  }

  @Test
  void startsAServerReportsItsAddressAndStopsItOnClose() throws Exception {
    ServerProcess server = start(FakeServers.Ready.class, "here");
    try {
      assertEquals("fake://here", server.address());
      assertTrue(server.isAlive());
      assertTrue(server.pid() != ProcessHandle.current().pid());
    } finally {
      server.close();
    }
    assertFalse(server.isAlive());
    assertEquals(0, server.exitCode(), "a graceful exit at the end of its stdin");
    server.close(); // idempotent
  }

  @Test
  void terminateSendsSigtermAndKeepsStdinOpen() throws Exception {
    try (ServerProcess server = start(FakeServers.Ready.class, "here")) {
      server.terminate();
      assertTrue(server.waitForExit(Duration.ofSeconds(20)));
      assertEquals(143, server.exitCode(), "128 + SIGTERM: it did not see its stdin end");
    }
  }

  @Test
  void killEndsTheChildAtOnce() throws Exception {
    try (ServerProcess server = start(FakeServers.Ready.class, "here")) {
      server.kill();
      assertFalse(server.isAlive());
      assertEquals(137, server.exitCode(), "128 + SIGKILL");
    }
  }

  @Test
  void aPipedServerHasItsStdinAndStdoutForTheCaller() throws Exception {
    try (ServerProcess server = ServerProcess.startPiped("echo",
        JavaCommand.of(List.of(), FakeServers.Echo.class.getName(), List.of()), STOP_TIMEOUT)) {
      byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
      OutputStream in = server.stdin();
      in.write(hello);
      in.close();
      assertArrayEquals(hello, server.stdout().readAllBytes());
      assertTrue(server.waitForExit(Duration.ofSeconds(20)));
      assertEquals(0, server.exitCode());
    }
  }

  @Test
  void aChildThatPrintsSomethingElseIsReportedAndStopped() {
    IOException e = assertThrows(IOException.class,
        () -> start(FakeServers.PrintsSomethingElse.class));
    assertTrue(e.getMessage().contains("printed 'hello, I am not a server' where 'READY "
        + "<address>' was expected"), e.getMessage());
  }

  @Test
  void aChildThatExitsIsReportedWithItsExitCode() {
    IOException e = assertThrows(IOException.class, () -> start(FakeServers.ExitsAtOnce.class));
    assertTrue(e.getMessage().contains("exited with code 3 before it was ready"),
        e.getMessage());
  }

  @Test
  void aSilentChildTimesOutAndIsStopped() {
    IOException e = assertThrows(IOException.class, () -> ServerProcess.start("server",
        JavaCommand.of(List.of(), FakeServers.SaysNothing.class.getName(), List.of()),
        Duration.ofMillis(500), STOP_TIMEOUT));
    assertTrue(e.getMessage().startsWith("server (pid "), e.getMessage());
    assertTrue(e.getMessage().contains("printed nothing within 0.5 s"), e.getMessage());
  }

  private static ServerProcess start(Class<?> mainClass, String... args)
      throws IOException, InterruptedException {
    return ServerProcess.start("server",
        JavaCommand.of(List.of(), mainClass.getName(), List.of(args)), READY_TIMEOUT,
        STOP_TIMEOUT);
  }
}
