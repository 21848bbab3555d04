package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import dev.plumb.rpc.testing.FrozenPeer;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child frozen with SIGSTOP: keep-alive fails its calls at keep-alive time, and the child's
 * stop sequence (stop timeout, SIGTERM, SIGKILL) runs after that, not before.
 */
@Timeout(60)
class FrozenChildTest {
  private static final long STOP_TIMEOUT_MILLIS = 1_000;
  /** SIGTERM waits on a stopped JVM; SIGKILL comes 2 s after it. The rest is slack. */
  private static final long CHILD_GONE_MILLIS = STOP_TIMEOUT_MILLIS + 2_000 + 5_000;

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void callsFailAtKeepAliveTimeAndTheFrozenChildIsStoppedAfter() throws Exception {
    ManagedChannel channel = cleanup.add(FrozenPeer.channel("pipe:"
        + ChildJvm.commandLine(ConformanceServerMain.class, "stdio:")
        + "#maxStarts=1000&stopTimeout=" + STOP_TIMEOUT_MILLIS + "ms"));
    long pid = ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
    try {
      long elapsed = FrozenPeer.assertCallFailsAtKeepAlive(channel, pid);
      System.out.println("pipe: call failed " + elapsed + " ms after the child froze");
      try {
        child.onExit().get(CHILD_GONE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        assertFalse(child.isAlive(), "the frozen child was still there " + CHILD_GONE_MILLIS
            + " ms after its calls failed");
      }
    } finally {
      child.destroyForcibly();
    }
  }
}
