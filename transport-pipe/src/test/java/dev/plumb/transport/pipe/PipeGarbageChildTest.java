package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reverse of the bad-input suite: a pipe: child that writes garbage to its stdout and then
 * neither exits nor reads ({@link GarbageChildMain}). The parent's call must fail at once with
 * a status that names the garbage, and once the channel is shut down the child must be stopped
 * (it ignores the end of its stdin, so the parent's SIGTERM does it) and the parent must keep no
 * thread of that child's connection.
 */
@Timeout(60)
class PipeGarbageChildTest {
  private static final long STOP_TIMEOUT_MILLIS = 500;
  /** The stop timeout, SIGTERM's wait of two seconds before SIGKILL, and slack. */
  private static final long CHILD_GONE_MILLIS = STOP_TIMEOUT_MILLIS + 2_000 + 5_000;

  @Test
  void junkWhereThePrefaceBelongs() throws Exception {
    Status status = failedCall(GarbageChildMain.JUNK);
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("not a Plumb endpoint: it sent \"HTTP/1.1\""),
        status.toString());
  }

  @Test
  void aFrameBeyondTheLimitAfterAValidHello() throws Exception {
    Status status = failedCall(GarbageChildMain.BAD_FRAME);
    // The client ends the connection with INTERNAL; its calls fail as a lost link's do.
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains(
        "DATA frame of 2147483647 bytes exceeds the maximum frame size of 65536"),
        status.toString());
  }

  /**
   * Makes one call to a garbage child in {@code mode}, shuts the channel down, checks the
   * children it started and their connections' threads are gone, and returns the call's status.
   */
  private static Status failedCall(String mode) throws Exception {
    ManagedChannel channel = PlumbChannelBuilder.forTarget("pipe:"
        + ChildJvm.commandLine(GarbageChildMain.class, mode)
        + "#maxStarts=1000&stopTimeout=" + STOP_TIMEOUT_MILLIS + "ms").build();
    Set<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toSet());
    List<ProcessHandle> children;
    StatusRuntimeException failure;
    try {
      // The deadline only bounds a hang; the call must fail with the garbage's status first.
      failure = assertThrows(StatusRuntimeException.class, () -> ConformanceGrpc
          .newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .unary(EchoRequest.getDefaultInstance()));
      children = ProcessHandle.current().children().filter(child -> !before.contains(child))
          .collect(Collectors.toList());
    } finally {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "the channel did not terminate");
    }
    // The channel may have started another child to retry before it was shut down.
    assertTrue(!children.isEmpty(), "no garbage child was started");
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(CHILD_GONE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        child.destroyForcibly();
        fail("the garbage child " + child.pid() + " was still running " + CHILD_GONE_MILLIS
            + " ms after its channel shut down");
      }
      assertNoThreadsOf(child.pid());
    }
    return failure.getStatus();
  }

  /** The parent's threads for a child's connection are named after its pid; they must end. */
  private static void assertNoThreadsOf(long pid) {
    String prefix = "plumb-pipe-" + pid + "-";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
          .map(Thread::getName).filter(name -> name.startsWith(prefix)).toList();
      if (left.isEmpty()) {
        return;
      }
      // The stop thread ends when the child has; the connection's threads within their grace.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    } while (System.nanoTime() < deadline);
    fail("threads of child " + pid + "'s connection still running: " + left);
  }
}
