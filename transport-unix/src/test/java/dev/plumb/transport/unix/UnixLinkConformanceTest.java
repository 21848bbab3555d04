package dev.plumb.transport.unix;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
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
    Identity.assertSocketFilePeers(client, server, "unix:///");
  }
}
