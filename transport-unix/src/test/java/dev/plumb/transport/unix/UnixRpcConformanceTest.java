package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPC scenarios over a socket file, with the server in its own JVM. A killed server leaves
 * its socket file behind: the restarted one replaces it (channelReconnectsWhenTheServerComesBack).
 */
class UnixRpcConformanceTest extends AbstractRpcConformanceTest {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.resolve("rpc-" + SERVERS.incrementAndGet() + ".sock");
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
