package dev.plumb.transport.pipe;

import dev.plumb.rpc.testing.AbstractDirectServerTest;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;

/** A {@code stdio:} server child on {@code directExecutor()}, started by the channel. */
class PipeDirectServerTest extends AbstractDirectServerTest {
  @Override
  protected String directServerTarget(Cleanup cleanup) {
    return "pipe:" + ChildJvm.commandLine(ConformanceServerMain.class, "stdio:",
        ConformanceServerMain.DIRECT_EXECUTOR);
  }
}
