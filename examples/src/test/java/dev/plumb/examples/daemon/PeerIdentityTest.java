package dev.plumb.examples.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.identity.Caller;
import dev.plumb.examples.identity.IdentityGrpc;
import dev.plumb.examples.identity.WhoAmIRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example 6, peer identity, across two processes: the daemon hosts the identity service on
 * {@code unix:} and {@code tcp:}; over {@code unix:} it must name this JVM (its pid, uid and
 * gid) as the caller, over {@code tcp:}, which cannot know, nothing. ({@code pipe:}, where the
 * child knows its parent, is in {@link PlumbDaemonTest}.)
 */
class PeerIdentityTest {
  @TempDir
  Path temp;

  @Test
  void overUnixTheServiceSeesThisProcessAndOverTcpNobody() throws Exception {
    Path socket = temp.resolve("identity.sock");
    try (DaemonProcess daemon = DaemonProcess.start(temp, "--listen", "unix://" + socket,
        "--listen", "tcp://127.0.0.1:0", "--service",
        "dev.plumb.examples.identity.IdentityService")) {
      List<String> addresses = daemon.readyAddresses(2);

      Caller overUnix = whoAmI(addresses.get(0));
      assertEquals(ProcessHandle.current().pid(), overUnix.getPid());
      assertEquals(Identities.ownUid(), overUnix.getUid());
      assertEquals(Identities.ownGid(), overUnix.getGid());
      assertEquals(daemon.process.pid(), overUnix.getServerPid());
      assertNotEquals(overUnix.getPid(), overUnix.getServerPid());

      Caller overTcp = whoAmI(addresses.get(1));
      assertFalse(overTcp.hasPid() || overTcp.hasUid() || overTcp.hasGid(), overTcp.toString());
      assertTrue(overTcp.getRemoteAddress().contains("127.0.0.1"), overTcp.toString());

      daemon.terminate();
      assertEquals(0, daemon.awaitExit(30), daemon.stderr());
    }
  }

  private static Caller whoAmI(String target) throws InterruptedException {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    try {
      return IdentityGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .whoAmI(WhoAmIRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
