package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.transport.unix.ImpostorServer;
import dev.plumb.transport.unix.OtherUser;
import dev.plumb.transport.unix.UnaryCall;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An shm: client checks the rendezvous server's uid as unix: does: a listener run as
 * {@code nobody} at the rendezvous path is refused when {@code serverUids} does not name it,
 * with PERMISSION_DENIED naming both uids, before its greeting is read. Skipped, with the
 * reason, where no process can be started as another user.
 */
@Timeout(60)
class ShmServerIdentityTest {
  @TempDir
  Path scratch;

  @Test
  void aRendezvousServerOfAnUntrustedUidIsRefused() throws Exception {
    OtherUser.assumeAvailable();
    long uid = OtherUser.id("-u").orElseThrow();
    Path sockets = OtherUser.writableFolder(scratch.resolve("sockets"));
    Path file = sockets.resolve("rendezvous.sock");
    try (ImpostorServer impostor = new ImpostorServer(scratch, List.of(file.toString()))) {
      Status status = UnaryCall.statusOf("shm://" + file + "?serverUids=1",
          Duration.ofSeconds(5));
      assertEquals(Status.Code.PERMISSION_DENIED, status.getCode(), status.toString());
      assertTrue(status.getDescription().contains("this client distrusts the server: it runs as"
          + " uid " + uid), status.getDescription());
      assertEquals(0, impostor.bytesOfFirstConnection(file.toString()));
    }
  }
}
