package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
import dev.plumb.transport.unix.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
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

  /**
   * Mapping a received segment must not touch other files: junixsocket's read-write channel for
   * a descriptor, tried once, deleted /dev/null when it closed (as root, it can).
   */
  @AfterAll
  static void devNullIsStillTheNullDevice() throws Exception {
    int mode = (Integer) Files.getAttribute(Path.of("/dev/null"), "unix:mode");
    assertEquals(0020000, mode & 0170000, "/dev/null is no longer a character device");
  }

  @Override
  protected void assertPeerIdentity(Connection client, Connection server) {
    Identity.assertSocketFilePeers(client, server, "shm:///");
  }
}
