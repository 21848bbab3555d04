package dev.plumb.rpc.testing;

import static dev.plumb.rpc.testing.RecordingCalls.queueListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server process frozen with SIGSTOP mid-call: its link stays open and silent, so only the
 * client's keep-alive can tell, and the call must fail when keep-alive gives up, not after the
 * transport has cleaned the link up.
 */
public final class FrozenPeer {
  /** gRPC clamps the keep-alive time to at least 10 s. */
  public static final long KEEP_ALIVE_MILLIS = 10_000;
  public static final long KEEP_ALIVE_TIMEOUT_MILLIS = 2_000;
  /** Scheduling on a loaded machine; the transport's own cleanup must not count. */
  private static final long SLACK_MILLIS = 1_000;

  private FrozenPeer() {}

  /** A channel to {@code target} with the keep-alive that {@link #assertCallFailsAtKeepAlive} expects. */
  public static ManagedChannel channel(String target) {
    return PlumbChannelBuilder.forTarget(target)
        .keepAliveTime(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(KEEP_ALIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .build();
  }

  /**
   * Starts a call that the server never answers, freezes the server process {@code pid} once
   * the call reached it, and checks that the call fails with UNAVAILABLE within the keep-alive
   * time and timeout (plus a little slack) of the freeze. Returns the milliseconds it took.
   */
  public static long assertCallFailsAtKeepAlive(ManagedChannel channel, long pid)
      throws IOException, InterruptedException {
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getHangMethod(), CallOptions.DEFAULT);
    call.start(queueListener(received), new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setTag("frozen").build());
    call.halfClose();
    call.request(1);
    assertEquals("running", ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .outcome(OutcomeRequest.newBuilder().setTag("frozen")
            .setUntil(OutcomeRequest.Until.ARRIVAL).setWaitMillis(10_000).build())
        .getState());
    signal(pid, "STOP");
    long frozenAt = System.nanoTime();
    long limit = KEEP_ALIVE_MILLIS + KEEP_ALIVE_TIMEOUT_MILLIS + SLACK_MILLIS;
    Object status = received.poll(limit + 10_000, TimeUnit.MILLISECONDS);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
    assertNotNull(status, "the call did not fail within " + (limit + 10_000) + " ms");
    assertEquals(Status.Code.UNAVAILABLE, ((Status) status).getCode(), status.toString());
    assertTrue(elapsed <= limit, "the call failed " + elapsed + " ms after the server froze;"
        + " keep-alive gives up after " + (KEEP_ALIVE_MILLIS + KEEP_ALIVE_TIMEOUT_MILLIS) + " ms: "
        + status);
    return elapsed;
  }

  /** Sends {@code SIGNAME} (STOP, KILL, ...) to process {@code pid} with kill(1). */
  public static void signal(long pid, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
        .redirectErrorStream(true).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " " + pid + " hung");
    assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid + " failed");
  }
}
