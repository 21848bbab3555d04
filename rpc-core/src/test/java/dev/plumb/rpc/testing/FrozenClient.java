package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.OutcomeResponse;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client process frozen with SIGSTOP while its call is open: its link stays open and silent,
 * so only the server's keep-alive can tell. The server must close the connection, ending the
 * call, within its keep-alive time and timeout of the freeze. {@link #main} is that client.
 */
public final class FrozenClient {
  public static final long KEEP_ALIVE_MILLIS = 1_000;
  public static final long KEEP_ALIVE_TIMEOUT_MILLIS = 1_000;
  /** Scheduling on a loaded machine. */
  private static final long SLACK_MILLIS = 2_000;
  static final String TAG = "frozen-client";

  private FrozenClient() {}

  /**
   * Serves at {@code listenAddress} with keep-alive, starts a client process whose call hangs
   * there, freezes it once the call arrived, and checks that the server ends the call within
   * the keep-alive time and timeout (plus slack). The client is SIGKILLed at the end. Returns
   * the milliseconds from the freeze to the end of the call.
   */
  public static long assertServerEndsTheCallsOfAFrozenClient(String listenAddress,
      Cleanup cleanup) throws IOException, InterruptedException {
    ConformanceService service = new ConformanceService();
    Server server = cleanup.add(PlumbServerBuilder.forAddress(listenAddress)
        .keepAliveTime(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(KEEP_ALIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .addService(service)
        .build().start());
    String address = server.getListenSockets().get(0).toString();
    dev.plumb.childjvm.ServerProcess client = dev.plumb.childjvm.ServerProcess.start(
        "frozen client", ChildJvm.command(FrozenClient.class, address),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
    try {
      ConformanceGrpc.ConformanceBlockingStub outcomes = ConformanceGrpc.newBlockingStub(
          cleanup.add(PlumbChannelBuilder.forTarget(address).build()));
      assertEquals("running", outcome(outcomes, OutcomeRequest.Until.ARRIVAL, 10_000).getState());
      FrozenPeer.signal(client.pid(), "STOP");
      long frozenAt = System.nanoTime();
      long limit = KEEP_ALIVE_MILLIS + KEEP_ALIVE_TIMEOUT_MILLIS + SLACK_MILLIS;
      OutcomeResponse ended = outcome(outcomes, OutcomeRequest.Until.END, limit + 10_000);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
      assertEquals("cancelled", ended.getState(), "the frozen client's call " + ended);
      assertTrue(elapsed <= limit, "the server ended the call " + elapsed + " ms after the"
          + " client froze; keep-alive gives up after "
          + (KEEP_ALIVE_MILLIS + KEEP_ALIVE_TIMEOUT_MILLIS) + " ms");
      return elapsed;
    } finally {
      client.kill();
    }
  }

  private static OutcomeResponse outcome(ConformanceGrpc.ConformanceBlockingStub outcomes,
      OutcomeRequest.Until until, long waitMillis) {
    return outcomes.withDeadlineAfter(waitMillis + 10_000, TimeUnit.MILLISECONDS)
        .outcome(OutcomeRequest.newBuilder().setTag(TAG).setUntil(until)
            .setWaitMillis(waitMillis).build());
  }

  /**
   * The client: starts a call that the server never answers to {@code args[0]}, says READY,
   * and waits until its parent closes its stdin (or SIGKILLs it).
   */
  public static void main(String[] args) throws IOException {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(args[0]).build();
    ClientCall<EchoRequest, EchoResponse> call =
        channel.newCall(ConformanceGrpc.getHangMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.sendMessage(EchoRequest.newBuilder().setTag(TAG).build());
    call.halfClose();
    System.out.println(dev.plumb.childjvm.ServerProcess.READY + args[0]);
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
    System.exit(0);
  }
}
