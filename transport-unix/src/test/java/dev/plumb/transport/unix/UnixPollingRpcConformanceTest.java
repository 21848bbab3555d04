package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPC scenarios over a Unix socket in the latency mode ({@code idle=poll}) on both sides:
 * the server (its own JVM) listens with it, the client adds it to the address the server
 * reported. Polling the socket before each read must not change what a call does.
 */
class UnixPollingRpcConformanceTest extends AbstractRpcConformanceTest {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  @TempDir
  static Path sockets;

  @Override
  protected String listenAddress() {
    return "unix://" + sockets.resolve("poll-" + SERVERS.incrementAndGet() + ".sock")
        + "?idle=poll";
  }

  @Override
  protected String clientTarget(String address) {
    return address + "?idle=poll";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
