package dev.plumb.transport.pipe;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.ConformanceServerMain;
import java.util.ArrayList;
import java.util.List;

/**
 * The RPC scenarios over pipe:, each test's channel starting its own server child. Scenarios
 * that restart a listening server at the same address apply to the child the channel respawns.
 */
class PipeRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "stdio:";
  }

  /** The options after the command's {@code #}. */
  protected String targetOptions() {
    return "maxStarts=1000";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }

  @Override
  protected String clientSpawnedTarget(String... serverOptions) {
    List<String> args = new ArrayList<>(List.of(listenAddress()));
    args.addAll(List.of(serverOptions));
    return "pipe:" + ChildJvm.commandLine(ConformanceServerMain.class, args.toArray(String[]::new))
        + "#" + targetOptions();
  }
}
