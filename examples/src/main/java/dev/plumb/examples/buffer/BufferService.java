package dev.plumb.examples.buffer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of the producer/consumer example: each call gets a {@link BoundedBuffer}
 * of {@link #capacity} places and a consumer thread that takes the items out one at a time,
 * through {@link Consumer} (by default it spends {@link #DEFAULT_PACE} on each, a slow
 * consumer). The buffer never overflows because the call asks gRPC for one item per free place
 * ({@code request(n)} with automatic requests off); gRPC then stops taking bytes from the
 * transport, the transport's window closes, and the producer's {@code isReady()} turns false.
 */
public final class BufferService extends BoundedBufferGrpc.BoundedBufferImplBase {
  public static final int DEFAULT_CAPACITY = 8;
  public static final Duration DEFAULT_PACE = Duration.ofMillis(1);
  private static final Logger log = LoggerFactory.getLogger(BufferService.class);

  /** What the consumer does with an item; called on the call's consumer thread, in order. */
  @FunctionalInterface
  public interface Consumer {
    void consume(Item item) throws InterruptedException;
  }

  private final int capacity;
  private final Consumer consumer;

  /** A buffer of {@link #DEFAULT_CAPACITY} places, {@link #DEFAULT_PACE} per item. */
  public BufferService() {
    this(DEFAULT_CAPACITY, paced(DEFAULT_PACE));
  }

  public BufferService(int capacity, Consumer consumer) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.capacity = capacity;
    this.consumer = consumer;
  }

  /** A consumer that takes {@code pace} over each item (a stand-in for real work). */
  public static Consumer paced(Duration pace) {
    long nanos = pace.toNanos();
    return item -> {
      if (nanos > 0) {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      }
    };
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public StreamObserver<Item> fill(StreamObserver<FillSummary> response) {
    ServerCallStreamObserver<FillSummary> call = (ServerCallStreamObserver<FillSummary>) response;
    return new BoundedBuffer(call, capacity, consumer, "fill", new BoundedBuffer.Sink() {
      @Override
      public void consumed(Item item, int buffered) {}

      @Override
      public void done(long items, long payloadBytes, int maxBuffered) {
        call.onNext(FillSummary.newBuilder().setItems(items).setPayloadBytes(payloadBytes)
            .setMaxBuffered(maxBuffered).setCapacity(capacity).build());
        call.onCompleted();
      }
    }).start();
  }

  @Override
  public StreamObserver<Item> exchange(StreamObserver<Consumed> response) {
    ServerCallStreamObserver<Consumed> call = (ServerCallStreamObserver<Consumed>) response;
    return new BoundedBuffer(call, capacity, consumer, "exchange", new BoundedBuffer.Sink() {
      @Override
      public void consumed(Item item, int buffered) {
        call.onNext(Consumed.newBuilder().setSequence(item.getSequence()).setBuffered(buffered)
            .setCapacity(capacity).build());
      }

      @Override
      public void done(long items, long payloadBytes, int maxBuffered) {
        call.onCompleted();
      }
    }).start();
  }

  static void logRefusal(String method, Status status) {
    log.info("{} refused: {}", method, status.getDescription());
  }
}
