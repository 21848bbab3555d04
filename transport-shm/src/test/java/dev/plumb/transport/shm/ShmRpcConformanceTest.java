package dev.plumb.transport.shm;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPC scenarios over shm:, with the server in its own JVM. A killed server leaves its
 * rendezvous socket file behind (its segments never had names by then): the restarted one
 * replaces the file (channelReconnectsWhenTheServerComesBack).
 */
class ShmRpcConformanceTest extends AbstractRpcConformanceTest {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "shm://" + sockets.resolve("rpc-" + SERVERS.incrementAndGet() + ".sock");
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
