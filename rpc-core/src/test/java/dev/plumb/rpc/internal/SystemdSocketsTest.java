package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SystemdSocketsTest {
  private static final long PID = 4242;

  @Test
  void descriptorsStartAtThreeWithTheirNamesOrUnknown() {
    assertEquals(List.of(new SystemdSockets.Socket(3, "api"), new SystemdSockets.Socket(4, "admin")),
        SystemdSockets.from(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "4242",
            "LISTEN_FDNAMES", "api:admin"), PID));
    assertEquals(List.of(new SystemdSockets.Socket(3, "unknown")),
        SystemdSockets.from(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4242"), PID));
  }

  @Test
  void socketsPassedToAnotherProcessAreNotTaken() {
    assertRefused(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4241"),
        "LISTEN_PID is '4241', not this process's pid 4242");
    assertRefused(Map.of("LISTEN_FDS", "1"), "LISTEN_PID is not set, not this process's pid");
  }

  @Test
  void missingOrMalformedVariablesAreNamed() {
    assertRefused(Map.of(), "LISTEN_FDS is not set, so systemd passed this process no socket");
    assertRefused(Map.of("LISTEN_FDS", "0", "LISTEN_PID", "4242"), "LISTEN_FDS is '0'");
    assertRefused(Map.of("LISTEN_FDS", "two", "LISTEN_PID", "4242"), "LISTEN_FDS is 'two'");
    assertRefused(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "4242", "LISTEN_FDNAMES", "api"),
        "LISTEN_FDNAMES names 1 sockets ('api'), but LISTEN_FDS says 2");
  }

  private static void assertRefused(Map<String, String> environment, String start) {
    String message = assertThrows(IllegalArgumentException.class,
        () -> SystemdSockets.from(environment, PID)).getMessage();
    assertTrue(message.startsWith(start), message);
  }
}
