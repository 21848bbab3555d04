package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Limits of the core that need a server configured for them, over the in-memory transport. */
@Timeout(30)
class LimitsTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private Server server(PlumbServerBuilder builder) throws Exception {
    return cleanup.add(builder.addService(new ConformanceService()).build().start());
  }

  private static String newAddress() {
    return "mem:limits-" + UUID.randomUUID();
  }

  @Test
  void callsAboveTheServersStreamLimitWaitForAFreeSlot() throws Exception {
    String address = newAddress();
    server(PlumbServerBuilder.forAddress(address).maxConcurrentCallsPerConnection(3));
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address).build());
    // Connect first: calls made while the channel connects are started on gRPC's executor,
    // in no particular order, and the test needs the fourth call to be the one that waits.
    ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setTag("connect").build());
    // The queries go over a connection of their own: the limit is per connection.
    ConformanceGrpc.ConformanceBlockingStub outcomes = ConformanceGrpc.newBlockingStub(
        cleanup.add(PlumbChannelBuilder.forTarget(address).build()));
    List<ClientCall<EchoRequest, EchoResponse>> calls = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String tag = "hang-" + i;
      ClientCall<EchoRequest, EchoResponse> call =
          channel.newCall(ConformanceGrpc.getHangMethod(), CallOptions.DEFAULT);
      call.start(new ClientCall.Listener<>() {}, new Metadata());
      call.sendMessage(EchoRequest.newBuilder().setTag(tag).build());
      call.halfClose();
      calls.add(call);
      tags.add(tag);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals("running", state(outcomes, tags.get(i), OutcomeRequest.Until.ARRIVAL, 10_000));
    }
    // The fourth waits on the client; the server has not seen it.
    assertEquals("unknown", state(outcomes, tags.get(3), OutcomeRequest.Until.ARRIVAL, 200));
    calls.get(0).cancel("free a slot", null);
    assertEquals("cancelled", state(outcomes, tags.get(0), OutcomeRequest.Until.END, 10_000));
    assertEquals("running", state(outcomes, tags.get(3), OutcomeRequest.Until.ARRIVAL, 10_000));
    for (ClientCall<?, ?> call : calls) {
      call.cancel("done", null);
    }
  }

  private static String state(ConformanceGrpc.ConformanceBlockingStub stub, String tag,
      OutcomeRequest.Until until, long waitMillis) {
    return stub.withDeadlineAfter(20, TimeUnit.SECONDS)
        .outcome(OutcomeRequest.newBuilder().setTag(tag).setUntil(until)
            .setWaitMillis(waitMillis).build())
        .getState();
  }

  @Test
  void aPeerThatNeverSaysHelloIsDisconnected() throws Exception {
    String address = newAddress();
    server(PlumbServerBuilder.forAddress(address)
        .handshakeTimeout(200, TimeUnit.MILLISECONDS));
    PlumbAddress parsed = TransportRegistry.getDefault().parse(address);
    Connection silent = TransportRegistry.getDefault().transportFor(parsed).connect(parsed)
        .get(10, TimeUnit.SECONDS);
    RecordingHandler handler = new RecordingHandler(ProtocolSettings.DEFAULT_MAX_FRAME_SIZE);
    silent.start(handler);
    Status closed = handler.awaitClosedForTest();
    assertEquals(Status.Code.UNAVAILABLE, closed.getCode());
    // Plumb's own timer, not gRPC's (which used to race it with the same time).
    assertTrue(closed.getDescription().contains("no HELLO from the peer within 200 ms"),
        closed.toString());
  }
}
