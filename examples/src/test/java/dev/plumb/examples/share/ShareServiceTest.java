package dev.plumb.examples.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The share example's producer and consumer over the in-memory transport: two consumers take
 * disjoint halves that together are the data set, each with the right checksum; a consumer that
 * stops asking holds the producer back to a few chunks; bad requests and wrong streams are
 * caught.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareServiceTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int WINDOW = 64 * 1024;
  /** gRPC's on-ready threshold: a call is not ready while this much is queued to send. */
  private static final int ON_READY_THRESHOLD = 32 * 1024;
  private static final int CHUNK = 16 * 1024;

  private final Cleanup cleanup = new Cleanup();

  private ManagedChannel start(TestInfo test, BindableService service) throws Exception {
    String address = "mem:share-" + test.getTestMethod().orElseThrow().getName();
    cleanup.add(PlumbServerBuilder.forAddress(address).flowControlWindow(WINDOW)
        .addService(service).build().start());
    return cleanup.add(PlumbChannelBuilder.forTarget(address).flowControlWindow(WINDOW).build());
  }

  @AfterEach
  void stop() throws Exception {
    cleanup.close();
  }

  @Test
  void twoConsumersTakeDisjointHalvesThatMakeUpTheDataWithTheRightChecksums(TestInfo test)
      throws Exception {
    ManagedChannel channel = start(test, new ShareService());
    // The last chunk is short, and consumer 0 has one chunk more than consumer 1.
    DataSet data = new DataSet(99, 3 * 1024 * 1024 + 1000, 64 * 1024);
    List<CompletableFuture<ShareReceiver.Received>> calls = new ArrayList<>();
    for (int consumer = 0; consumer < 2; consumer++) {
      ShareReceiver receiver = new ShareReceiver(data, consumer, 2);
      ShareGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
          .take(data.request(consumer, 2), receiver);
      calls.add(receiver.result());
    }
    long bytes = 0;
    long chunks = 0;
    for (int consumer = 0; consumer < 2; consumer++) {
      ShareReceiver.Received received = calls.get(consumer).get(60, TimeUnit.SECONDS);
      assertNull(received.problem());
      assertEquals(data.checksumOf(consumer, 2), received.checksum(), "consumer " + consumer);
      assertEquals(data.bytesOf(consumer, 2), received.bytes());
      assertEquals(data.chunksOf(consumer, 2), received.chunks());
      bytes += received.bytes();
      chunks += received.chunks();
    }
    assertEquals(data.sizeBytes(), bytes);
    assertEquals(data.chunkCount(), chunks);
    assertEquals(25, data.chunksOf(0, 2));
    assertEquals(24, data.chunksOf(1, 2));
  }

  /**
   * The consumer takes two chunks and then asks for no more: the producer must stop after what
   * the consumer's window and gRPC's send threshold hold, far fewer than its 128 chunks, and
   * must resume when the consumer asks again.
   */
  @Test
  void aConsumerThatStopsAskingHoldsTheProducerBack(TestInfo test) throws Exception {
    BlockingQueue<Long> pauses = new LinkedBlockingQueue<>();
    AtomicLong made = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ShareService service = new ShareService(new ShareService.Progress() {
      @Override
      public void produced(long chunks) {
        made.set(chunks);
        if (chunks == 128) {
          done.countDown();
        }
      }

      @Override
      public void paused(long chunks) {
        pauses.add(chunks);
      }
    });
    ManagedChannel channel = start(test, service);
    DataSet data = new DataSet(5, 256L * CHUNK, CHUNK);
    HeldConsumer consumer = new HeldConsumer(2);
    ShareGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .take(data.request(0, 2), consumer);
    consumer.received.await(30, TimeUnit.SECONDS);

    // Wait for the producer to pause with the consumer held; if flow control did not hold it
    // back it would make all of its 128 chunks instead.
    long bound = 2 + (WINDOW + ON_READY_THRESHOLD) / CHUNK + 4;
    long pausedAt = -1;
    while (pausedAt < 0) {
      Long paused = pauses.poll(100, TimeUnit.MILLISECONDS);
      assertTrue(done.getCount() == 1, "the producer made all 128 chunks for a consumer that"
          + " took 2");
      if (paused != null && paused > 2) {
        pausedAt = paused;
      }
    }
    long heldAt = made.get();
    assertTrue(heldAt <= bound, "the producer made " + heldAt + " chunks for a consumer that"
        + " took 2; the window and the send threshold hold at most " + bound);

    consumer.release();
    assertTrue(done.await(30, TimeUnit.SECONDS), "the producer did not resume");
    assertEquals(128, consumer.result.get(30, TimeUnit.SECONDS));
  }

  /** Takes {@code first} chunks, then nothing until {@link #release}; counts what it got. */
  private static final class HeldConsumer implements ClientResponseObserver<TakeRequest, Chunk> {
    final CountDownLatch received;
    final CompletableFuture<Long> result = new CompletableFuture<>();
    private final AtomicLong chunks = new AtomicLong();
    private volatile ClientCallStreamObserver<TakeRequest> call;

    HeldConsumer(int first) {
      received = new CountDownLatch(first);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<TakeRequest> call) {
      this.call = call;
      call.disableAutoRequestWithInitial((int) received.getCount());
    }

    void release() {
      // request(n) may be called from any thread.
      call.request(Integer.MAX_VALUE);
    }

    @Override
    public void onNext(Chunk chunk) {
      chunks.incrementAndGet();
      received.countDown();
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      result.complete(chunks.get());
    }
  }

  @Test
  void aBadRequestIsInvalidArgumentNamingTheField(TestInfo test) throws Exception {
    ManagedChannel channel = start(test, new ShareService());
    DataSet data = DataSet.ofSize(1 << 20);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ShareReceiver.take(channel, data, 2, 2, DEADLINE));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("consumer must be 0..1, not 2", e.getStatus().getDescription());
  }

  @Test
  void aChunkOfAnotherConsumerIsCaughtAndEndsTheCall(TestInfo test) throws Exception {
    DataSet data = new DataSet(3, 8 * CHUNK, CHUNK);
    ManagedChannel channel = start(test, new ShareGrpc.ShareImplBase() {
      @Override
      public void take(TakeRequest request, StreamObserver<Chunk> response) {
        // Chunk 1 is consumer 1's.
        response.onNext(Chunk.newBuilder().setIndex(1)
            .setData(ByteString.copyFrom(data.chunk(1))).build());
        response.onCompleted();
      }
    });
    ShareReceiver.Received received = ShareReceiver.take(channel, data, 0, 2, DEADLINE);
    assertEquals("chunk 1 arrived where chunk 0 was expected", received.problem());
  }

  @Test
  void aChangedByteGivesAnotherChecksum(TestInfo test) throws Exception {
    DataSet data = new DataSet(3, 8 * CHUNK, CHUNK);
    ManagedChannel channel = start(test, new ShareGrpc.ShareImplBase() {
      @Override
      public void take(TakeRequest request, StreamObserver<Chunk> response) {
        for (long i = request.getConsumer(); i < data.chunkCount(); i += 2) {
          byte[] bytes = data.chunk(i);
          if (i == 4) {
            bytes[1000] ^= 1;
          }
          response.onNext(Chunk.newBuilder().setIndex(i).setData(ByteString.copyFrom(bytes))
              .build());
        }
        response.onCompleted();
      }
    });
    ShareReceiver.Received received = ShareReceiver.take(channel, data, 0, 2, DEADLINE);
    assertNull(received.problem());
    assertEquals(data.bytesOf(0, 2), received.bytes());
    assertTrue(received.checksum() != data.checksumOf(0, 2), "one bit changed, same checksum");
    ConsumerReport report = ConsumerReport.of(0, received, data.checksumOf(0, 2));
    assertTrue(!report.right() && report.describe().contains("WRONG"), report.describe());
  }
}
