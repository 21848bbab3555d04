package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPC scenarios over a socket file, with the server in its own JVM. A killed server leaves
 * its socket file behind: the restarted one replaces it (channelReconnectsWhenTheServerComesBack).
 */
class UnixRpcConformanceTest extends AbstractRpcConformanceTest {
  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.resolve("rpc.sock");
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
