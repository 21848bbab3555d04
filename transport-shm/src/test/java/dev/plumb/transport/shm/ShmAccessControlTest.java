package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.transport.unix.CallerRecordingServers;
import dev.plumb.transport.unix.OtherUser;
import dev.plumb.transport.unix.UnixClientMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * shm:'s access control is unix:'s, for real: servers in this JVM (root), a client JVM run as
 * {@code nobody}. Refused by default with PERMISSION_DENIED and the reason; admitted by
 * {@code allowUids}, when it maps the segment (created 0600 by root) through the descriptor it
 * received, and the service sees its pid, uid and gid. Skipped, with the reason, where no
 * process can be started as another user.
 */
@Timeout(60)
class ShmAccessControlTest {
  @TempDir
  Path scratch;
  private final Cleanup cleanup = new Cleanup();
  private final CallerRecordingServers servers = new CallerRecordingServers(cleanup);

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void anotherUserIsRefusedUnlessAllowedAndThenMapsTheSegment() throws Exception {
    OtherUser.assumeAvailable();
    long uid = OtherUser.id("-u").orElseThrow();
    long gid = OtherUser.id("-g").orElseThrow();
    Path sockets = Files.createDirectories(scratch.resolve("sockets"));
    String byDefault = servers.serve("shm://" + sockets.resolve("default.sock") + "?mode=0666");
    String byUid = servers.serve("shm://" + sockets.resolve("uids.sock") + "?mode=0666&allowUids="
        + uid);
    // Five refusals in a row (each a new channel and connection), then the admitted target.
    List<String> targets = List.of(byDefault, byDefault, byDefault, byDefault, byDefault, byUid);
    String output = OtherUser.runJava(scratch, UnixClientMain.class, targets);
    Matcher pidLine = Pattern.compile("PID (\\d+)").matcher(output);
    assertTrue(pidLine.find(), output);
    long pid = Long.parseLong(pidLine.group(1));
    for (int i = 0; i < 5; i++) {
      assertTrue(output.contains("RESULT " + i + " PERMISSION_DENIED " + byDefault
          + ": the connection was refused: uid " + uid + " (gid " + gid + ") is not allowed to"
          + " connect to " + byDefault), output);
    }
    assertTrue(output.contains("RESULT 5 OK"), output);
    assertEquals(byUid + " PeerCredentials{pid=" + pid + ", uid=" + uid + ", gid=" + gid + "}"
        + " unix client (pid " + pid + ")", servers.nextCaller());
  }
}
