package dev.plumb.examples.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The producer/consumer example over the in-memory transport, with small windows so that the
 * bound is small: the producer may be ahead of the consumer by at most what the buffer, the
 * server's window and the client's send buffer hold, however many items it sends and however
 * slow the consumer is. The consumer here is slow (a fixed pace per item), but the assertion
 * is about counts: a producer that ignored flow control would be thousands of items ahead.
 */
class BufferServiceTest {
  private static final int WINDOW = 8 * 1024;
  /** gRPC's on-ready threshold: a call is not ready while this much is queued to send. */
  private static final int ON_READY_THRESHOLD = 32 * 1024;
  private static final int CAPACITY = 4;
  private static final int PAYLOAD = 1024;
  private static final int ITEMS = 1500;
  /**
   * Items in the buffer, in the server's window and in the client's send queue (44 in all when
   * they are full, which is what a run measures), plus a few in hand between the layers: the
   * last one sent before the call stopped being ready, and ones being framed or deframed. A
   * producer that flow control did not hold back would be hundreds of items ahead.
   */
  private static final long BOUND = CAPACITY + (WINDOW + ON_READY_THRESHOLD) / PAYLOAD + 6;

  private final AtomicLong consumed = new AtomicLong();
  private final Cleanup cleanup = new Cleanup();

  private BoundedBufferGrpc.BoundedBufferStub start(TestInfo test, BufferService.Consumer consumer)
      throws Exception {
    String address = "mem:buffer-" + test.getTestMethod().orElseThrow().getName();
    cleanup.add(PlumbServerBuilder.forAddress(address).flowControlWindow(WINDOW)
        .addService(new BufferService(CAPACITY, consumer)).build().start());
    ManagedChannel channel =
        cleanup.add(PlumbChannelBuilder.forTarget(address).flowControlWindow(WINDOW).build());
    return BoundedBufferGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** 200 µs per item, and counted here, so the producer's lead is measured against the truth. */
  private BufferService.Consumer slowCountingConsumer() {
    BufferService.Consumer pace = BufferService.paced(Duration.ofNanos(200_000));
    return item -> {
      pace.consume(item);
      consumed.incrementAndGet();
    };
  }

  @AfterEach
  void stop() throws Exception {
    cleanup.close();
  }

  @Test
  void exchangeAcknowledgesEveryItemInOrderAndFlowControlBoundsTheProducer(TestInfo test)
      throws Exception {
    BoundedBufferGrpc.BoundedBufferStub stub = start(test, slowCountingConsumer());
    Producer<Consumed> producer = new Producer<>(ITEMS, PAYLOAD, consumed::get);
    stub.exchange(producer);
    Producer.Result<Consumed> result = producer.result().get(60, TimeUnit.SECONDS);

    assertEquals(ITEMS, result.sent());
    assertEquals(ITEMS, result.responses().size());
    for (int i = 0; i < ITEMS; i++) {
      Consumed ack = result.responses().get(i);
      assertEquals(i + 1, ack.getSequence());
      assertTrue(ack.getBuffered() < CAPACITY, ack.toString());
      assertEquals(CAPACITY, ack.getCapacity());
    }
    assertBounded(result);
  }

  @Test
  void fillConsumesEverythingAndTheBufferNeverHoldsMoreThanItsCapacity(TestInfo test)
      throws Exception {
    BoundedBufferGrpc.BoundedBufferStub stub = start(test, slowCountingConsumer());
    Producer<FillSummary> producer = new Producer<>(ITEMS, PAYLOAD, consumed::get);
    stub.fill(producer);
    Producer.Result<FillSummary> result = producer.result().get(60, TimeUnit.SECONDS);

    FillSummary summary = result.responses().get(0);
    assertEquals(ITEMS, summary.getItems());
    assertEquals((long) ITEMS * PAYLOAD, summary.getPayloadBytes());
    assertEquals(CAPACITY, summary.getCapacity());
    // The slow consumer let the buffer fill up, and never past its capacity.
    assertEquals(CAPACITY, summary.getMaxBuffered());
    assertEquals(ITEMS, consumed.get());
    assertBounded(result);
  }

  private static void assertBounded(Producer.Result<?> result) {
    assertTrue(result.maxAhead() <= BOUND, "the producer got " + result.maxAhead()
        + " items ahead of the consumer; the buffer and the windows hold at most " + BOUND);
    assertTrue(result.maxAhead() > CAPACITY, "the producer was never more than the buffer"
        + " ahead (" + result.maxAhead() + "): the consumer was not the slow one");
    assertTrue(result.pauses() > 0, "the producer never waited for on-ready");
  }

  @Test
  void anItemOutOfOrderIsInvalidArgumentAfterTheItemsBeforeIt(TestInfo test) throws Exception {
    BoundedBufferGrpc.BoundedBufferStub stub = start(test, item -> consumed.incrementAndGet());
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<Item> items = stub.fill(new StreamObserver<>() {
      @Override
      public void onNext(FillSummary summary) {
        done.completeExceptionally(new AssertionError("a summary: " + summary));
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    for (long sequence : List.of(1L, 2L, 4L)) {
      items.onNext(Item.newBuilder().setSequence(sequence).setPayload(ByteString.EMPTY).build());
    }
    items.onCompleted();
    try {
      done.get(30, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      Status status = Status.fromThrowable(e.getCause());
      assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
      assertEquals("item 4 arrived where item 3 was expected", status.getDescription());
    }
    assertEquals(2, consumed.get());
  }

  /** A client that cancels ends the call's consumer thread: nothing is left running. */
  @Test
  void cancellingEndsTheConsumerThread(TestInfo test) throws Exception {
    BoundedBufferGrpc.BoundedBufferStub stub = start(test, slowCountingConsumer());
    StreamObserver<Item> items = stub.exchange(new StreamObserver<>() {
      @Override
      public void onNext(Consumed value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    items.onNext(Item.newBuilder().setSequence(1).build());
    Thread consumer = awaitThread("buffer-consumer-exchange");
    items.onError(Status.CANCELLED.withDescription("the test cancels").asRuntimeException());
    consumer.join(10_000);
    assertFalse(consumer.isAlive(), "the consumer thread outlived its call");
  }

  private static Thread awaitThread(String name) throws InterruptedException {
    // The call starts its consumer on the server's executor, soon after the call begins.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().equals(name)) {
          return thread;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no thread " + name);
  }
}
