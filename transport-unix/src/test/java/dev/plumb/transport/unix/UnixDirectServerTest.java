package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractDirectServerTest;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import dev.plumb.rpc.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A server on {@code directExecutor()} behind a socket file, in a JVM of its own. */
class UnixDirectServerTest extends AbstractDirectServerTest {
  @TempDir
  Path sockets;

  @Override
  protected String directServerTarget(Cleanup cleanup) throws Exception {
    return cleanup.add(ServerProcess.start("unix://" + sockets.resolve("direct.sock"),
        ConformanceServerMain.DIRECT_EXECUTOR)).address();
  }
}
