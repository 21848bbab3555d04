package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients check who the server is, for real: a listener run as {@code nobody} takes an abstract
 * name and a socket file, and this JVM (root) calls it. An abstract name's server must be this
 * client's uid or root unless {@code serverUids} names another; a socket file's is checked
 * only when {@code serverUids} is given. A distrusted server gets not a byte: the call fails
 * with PERMISSION_DENIED naming both uids. A trusted one gets the preface and HELLO (it never
 * answers, so the call ends at its deadline). Skipped, with the reason, where no process can
 * be started as another user.
 */
@Timeout(90)
class UnixServerIdentityTest {
  private static final Duration DEADLINE = Duration.ofSeconds(3);

  @TempDir
  Path scratch;

  @Test
  void aServerOfAnotherUserIsTrustedOnlyWhereTheAddressSaysSo() throws Exception {
    OtherUser.assumeAvailable();
    long uid = OtherUser.id("-u").orElseThrow();
    long gid = OtherUser.id("-g").orElseThrow();
    Path sockets = OtherUser.writableFolder(scratch.resolve("sockets"));
    String name = "plumb-identity-" + UUID.randomUUID();
    String distrusted = name + "-default";
    String trusted = name + "-trusted";
    Path file = sockets.resolve("unchecked.sock");
    Path checkedFile = sockets.resolve("checked.sock");
    try (ImpostorServer impostor = new ImpostorServer(scratch, List.of("@" + distrusted,
        "@" + trusted, file.toString(), checkedFile.toString()))) {
      Status byDefault = UnaryCall.statusOf("unix-abstract:" + distrusted, DEADLINE);
      Status named = UnaryCall.statusOf("unix-abstract:" + trusted + "?serverUids=" + uid,
          DEADLINE);
      Status unchecked = UnaryCall.statusOf("unix://" + file, DEADLINE);
      Status checked = UnaryCall.statusOf("unix://" + checkedFile + "?serverUids=1", DEADLINE);

      assertEquals(Status.Code.PERMISSION_DENIED, byDefault.getCode(), byDefault.toString());
      assertEquals("unix-abstract:" + distrusted + ": the connection was refused: this client"
          + " distrusts the server: it runs as uid " + uid + " (gid " + gid + "), expected uid 0"
          + " (this client) (serverUids=... adds uids)", byDefault.getDescription());
      assertEquals(0, impostor.bytesOfFirstConnection("@" + distrusted));

      assertEquals(Status.Code.DEADLINE_EXCEEDED, named.getCode(), named.toString());
      assertTrue(impostor.bytesOfFirstConnection("@" + trusted) > 0, "preface and HELLO sent");

      assertEquals(Status.Code.DEADLINE_EXCEEDED, unchecked.getCode(), unchecked.toString());
      assertTrue(impostor.bytesOfFirstConnection(file.toString()) > 0, "preface and HELLO sent");

      assertEquals(Status.Code.PERMISSION_DENIED, checked.getCode(), checked.toString());
      assertTrue(checked.getDescription().endsWith("this client distrusts the server: it runs as"
          + " uid " + uid + " (gid " + gid + "), expected uid 0 (this client), uid 1"
          + " (serverUids=... adds uids)"), checked.getDescription());
      assertEquals(0, impostor.bytesOfFirstConnection(checkedFile.toString()));
    }
  }
}
