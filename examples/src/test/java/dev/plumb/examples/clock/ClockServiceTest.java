package dev.plumb.examples.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The greeting and the ticks, over the in-memory transport in this JVM. */
class ClockServiceTest {
  private final ClockService service = new ClockService();
  private Server server;
  private ManagedChannel channel;
  private ClockGrpc.ClockBlockingStub clock;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String address = "mem:clock-" + test.getTestMethod().orElseThrow().getName();
    server = PlumbServerBuilder.forAddress(address).addService(service).build().start();
    channel = PlumbChannelBuilder.forTarget(address).build();
    clock = ClockGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    service.close();
  }

  @Test
  void helloGreetsByNameAndSaysWhoAnswers() {
    HelloReply reply = clock.hello(HelloRequest.newBuilder().setName("Ada").build());
    assertEquals("Hello, Ada, I'm your server", reply.getGreeting());
    assertEquals(ProcessHandle.current().pid(), reply.getServerPid());
    assertEquals("Hello, stranger, I'm your server",
        clock.hello(HelloRequest.getDefaultInstance()).getGreeting());
  }

  @Test
  void ticksComeInOrderNeverBeforeTheyAreDue() {
    List<Tick> ticks = new ArrayList<>();
    clock.ticks(TicksRequest.newBuilder().setCount(4).setIntervalMillis(50).build())
        .forEachRemaining(ticks::add);
    assertEquals(4, ticks.size());
    for (int i = 0; i < ticks.size(); i++) {
      assertEquals(i + 1, ticks.get(i).getSequence());
    }
    // At a fixed rate: tick n is due (n - 1) intervals after the call began, never earlier
    // (a late tick may be followed at once by the next, which catches up).
    for (int i = 0; i < ticks.size(); i++) {
      long elapsed = ticks.get(i).getElapsedNanos();
      assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50L * i),
          "tick " + (i + 1) + " came " + elapsed + " ns into the call");
      assertTrue(i == 0 || elapsed >= ticks.get(i - 1).getElapsedNanos());
    }
  }

  @Test
  void aZeroIntervalSendsThemAllAtOnce() {
    List<Tick> ticks = new ArrayList<>();
    clock.ticks(TicksRequest.newBuilder().setCount(ClockService.MAX_COUNT).build())
        .forEachRemaining(ticks::add);
    assertEquals(ClockService.MAX_COUNT, ticks.size());
    assertEquals(ClockService.MAX_COUNT, ticks.get(ticks.size() - 1).getSequence());
  }

  @Test
  void badCountsAndIntervalsAreInvalidArgument() {
    assertInvalid(TicksRequest.newBuilder().setCount(0).build(), "count must be 1..10000, not 0");
    assertInvalid(TicksRequest.newBuilder().setCount(10_001).build(),
        "count must be 1..10000, not 10001");
    assertInvalid(TicksRequest.newBuilder().setCount(1).setIntervalMillis(-1).build(),
        "interval_millis must be 0..60000, not -1");
  }

  /** A client that cancels ends the stream at once, with CANCELLED. */
  @Test
  void cancellingTheCallEndsTheStream() throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<Tick> ticks = context.call(() -> clock.ticks(
        TicksRequest.newBuilder().setCount(10_000).setIntervalMillis(10).build()));
    assertEquals(1, ticks.next().getSequence());
    context.cancel(null);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
      while (ticks.hasNext()) {
        ticks.next();
      }
    });
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
  }

  private void assertInvalid(TicksRequest request, String description) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> clock.ticks(request).hasNext());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals(description, e.getStatus().getDescription());
  }
}
