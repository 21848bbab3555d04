package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractConnectionLimitTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The connection limits over a socket file; a peer is its uid, from the kernel. */
class UnixConnectionLimitTest extends AbstractConnectionLimitTest {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.resolve("limit-" + SERVERS.incrementAndGet() + ".sock");
  }

  @Override
  protected String peerOfThisJvm() {
    return ownUid();
  }
}
