package dev.plumb.transport.pipe;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.ConformanceServerMain;

/**
 * The RPC scenarios over pipe:, each test's channel starting its own server child. Scenarios
 * that restart a listening server at the same address apply to the child the channel respawns.
 */
class PipeRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "stdio:";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }

  @Override
  protected String clientSpawnedTarget() {
    return "pipe:" + ChildJvm.commandLine(ConformanceServerMain.class, "stdio:")
        + "#maxStarts=1000";
  }
}
