package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.testing.Cleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control for real: servers in this JVM (run as root), a client JVM run as the user
 * {@code nobody}. The client is refused by default with PERMISSION_DENIED, and by the socket
 * file's mode with a permission error; it is admitted by {@code allowUids} and by
 * {@code allowGids}, and the service sees its real pid, uid and gid in the call's attributes.
 * Skipped, with the reason, where no process can be started as another user.
 */
@Timeout(60)
class UnixAccessControlTest {
  @TempDir
  Path scratch;
  private final Cleanup cleanup = new Cleanup();
  /** What services saw of each call's caller. */
  private final CallerRecordingServers servers = new CallerRecordingServers(cleanup);

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void anotherUserIsRefusedUnlessAllowedAndServicesSeeWhoItIs() throws Exception {
    OtherUser.assumeAvailable();
    long uid = OtherUser.id("-u").orElseThrow();
    long gid = OtherUser.id("-g").orElseThrow();
    Path sockets = Files.createDirectories(scratch.resolve("sockets"));
    // mode=0666 lets anyone open the file: what refuses the default one is the uid check.
    String byDefault = servers.serve("unix://" + sockets.resolve("default.sock") + "?mode=0666");
    String abstractName = servers.serve("unix-abstract:plumb-acl-" + UUID.randomUUID());
    String byUid = servers.serve("unix://" + sockets.resolve("uids.sock")
        + "?mode=0666&allowUids=" + uid);
    String byGid = servers.serve("unix://" + sockets.resolve("gids.sock")
        + "?mode=0666&allowGids=" + gid);
    // Allowed by uid, but the file's mode (0600 by default) keeps the user out.
    Path privatePath = sockets.resolve("private.sock");
    String byMode = servers.serve("unix://" + privatePath + "?allowUids=" + uid);

    String output;
    String log;
    try (StderrCapture serverLog = new StderrCapture()) {
      output = OtherUser.runJava(scratch, UnixClientMain.class,
          List.of(byDefault, abstractName, byUid, byGid, byMode));
      log = serverLog.text();
    }
    Matcher pidLine = Pattern.compile("PID (\\d+)").matcher(output);
    assertTrue(pidLine.find(), output);
    long pid = Long.parseLong(pidLine.group(1));
    List<String> results = results(output, 5);

    String refused = "PERMISSION_DENIED " + byDefault + ": the connection was refused: uid "
        + uid + " (gid " + gid + ") is not allowed to connect to " + byDefault;
    assertEquals(refused, results.get(0), output);
    assertEquals("PERMISSION_DENIED " + abstractName + ": the connection was refused: uid "
        + uid + " (gid " + gid + ") is not allowed to connect to " + abstractName,
        results.get(1), output);
    assertEquals("OK", results.get(2), output);
    assertEquals("OK", results.get(3), output);
    assertTrue(results.get(4).startsWith("UNAVAILABLE cannot connect to " + byMode + ": connect to "
        + privatePath + " failed: permission denied: the socket file's mode does not let this"
        + " user (uid " + uid + ") connect"), output);

    // The server said whom it refused, and why.
    assertTrue(log.contains(byDefault + ": refused a connection from pid " + pid + ": uid " + uid
        + " (gid " + gid + ") is not allowed to connect (admitted: uid 0 (this server))"), log);

    // The services saw the client's real identity, as the kernel reported it.
    String expected = "PeerCredentials{pid=" + pid + ", uid=" + uid + ", gid=" + gid + "}"
        + " unix client (pid " + pid + ")";
    assertEquals(byUid + " " + expected, servers.nextCaller());
    assertEquals(byGid + " " + expected, servers.nextCaller());
    assertEquals(null, servers.unexpectedCaller());
  }

  /** The description of each {@code RESULT i ...} line, in order. */
  private static List<String> results(String output, int count) {
    List<String> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Matcher line = Pattern.compile("(?m)^RESULT " + i + " (.*)$").matcher(output);
      assertTrue(line.find(), "no result " + i + " in: " + output);
      results.add(line.group(1));
    }
    assertNotNull(results);
    return results;
  }
}
