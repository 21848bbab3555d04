package dev.plumb.transport.shm;

import dev.plumb.rpc.testing.AbstractConnectionLimitTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits over shm:; a peer is its uid, from the kernel. A refused connection
 * still had its segment made (the limits are the core's, applied when the transport hands the
 * connection over), which its close frees.
 */
class ShmConnectionLimitTest extends AbstractConnectionLimitTest {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "shm://" + sockets.resolve("limit-" + SERVERS.incrementAndGet() + ".sock");
  }

  @Override
  protected String peerOfThisJvm() {
    return ownUid();
  }
}
