package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
import io.grpc.Grpc;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The link-level kit over socket files; both ends report this process's real pid, uid, gid. */
class UnixLinkConformanceTest extends AbstractLinkConformanceTest {
  @TempDir
  static Path sockets;
  private static final AtomicInteger next = new AtomicInteger();

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.resolve("link-" + next.incrementAndGet() + ".sock");
  }

  @Override
  protected void assertPeerIdentity(Connection client, Connection server) {
    PeerCredentials self = Identity.ofThisProcess();
    assertEquals(self, server.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    assertEquals(self, client.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    // The listening end is named by its address; the connecting end by its pid.
    Object named = server.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
    assertEquals(named, client.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    assertTrue(named.toString().startsWith("unix:///"), named.toString());
    assertEquals(client.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
        server.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }
}
