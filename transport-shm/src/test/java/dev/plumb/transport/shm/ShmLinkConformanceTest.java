package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
import io.grpc.Grpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link-level kit over shm: with a small ring (64 KiB frames through 256 KiB rings: the
 * 2000-frame test wraps the ring many times and fills it); both ends report this process's pid,
 * uid and gid, read from the rendezvous socket.
 */
class ShmLinkConformanceTest extends AbstractLinkConformanceTest {
  @TempDir
  static Path sockets;
  private static final AtomicInteger next = new AtomicInteger();

  @Override
  protected String listenAddress() {
    return "shm://" + sockets.resolve("link-" + next.incrementAndGet() + ".sock")
        + "?ringSize=256k";
  }

  @Override
  protected void assertPeerIdentity(Connection client, Connection server) {
    PeerCredentials self = ofThisProcess();
    assertEquals(self, server.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    assertEquals(self, client.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    Object named = server.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
    assertEquals(named, client.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    assertTrue(named.toString().startsWith("shm:///"), named.toString());
    assertEquals(client.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
        server.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }

  /** Who this process is, read independently of the transport: from /proc/self's owner. */
  static PeerCredentials ofThisProcess() {
    try {
      Path self = Path.of("/proc/self");
      int uid = (Integer) Files.getAttribute(self, "unix:uid");
      int gid = (Integer) Files.getAttribute(self, "unix:gid");
      return PeerCredentials.of(ProcessHandle.current().pid(), uid, gid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
