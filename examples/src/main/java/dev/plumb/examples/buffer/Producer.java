package dev.plumb.examples.buffer;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The producer of the producer/consumer example, as grpc-java's manual flow control has it:
 * it sends items only while the call {@code isReady()}, and when it is not, it returns and
 * waits for gRPC's {@code onReady} callback instead of queueing more. Each time it sends, it
 * notes how far ahead of the consumer it is: items sent minus items consumed, where "consumed"
 * is what {@link #consumedSoFar} says (the acknowledgements of {@code Exchange}, or anything
 * else that counts the consumer's progress). A stale count only makes the lead look larger.
 *
 * <p>Threading: gRPC calls {@link #beforeStart}, the on-ready handler and the response
 * callbacks one at a time (the call's callbacks are serialized), so the producer's own state
 * needs no lock; the figures others read are volatile, and {@link #result} completes once.
 *
 * @param <R> the response type: {@link FillSummary} or {@link Consumed}
 */
public final class Producer<R> implements ClientResponseObserver<Item, R> {
  /** What a producer did. */
  public record Result<R>(long sent, long maxAhead, int pauses, List<R> responses) {}

  private final long count;
  private final ByteString payload;
  private final LongSupplier consumedSoFar;
  private final CompletableFuture<Result<R>> result = new CompletableFuture<>();
  private final List<R> responses = new ArrayList<>();
  private ClientCallStreamObserver<Item> requests;
  private boolean finished;
  private volatile long sent;
  private volatile long maxAhead;
  private volatile int pauses;
  private volatile long acknowledged;

  /**
   * Sends {@code count} items of {@code payloadBytes} each; the lead is measured against
   * {@code consumedSoFar}, or against the acknowledgements of {@code Exchange} if it is null.
   */
  public Producer(long count, int payloadBytes, LongSupplier consumedSoFar) {
    this.count = count;
    this.payload = ByteString.copyFrom(new byte[payloadBytes]);
    this.consumedSoFar = consumedSoFar != null ? consumedSoFar : () -> acknowledged;
  }

  public CompletableFuture<Result<R>> result() {
    return result;
  }

  /** Items sent so far. */
  public long sent() {
    return sent;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Item> requests) {
    this.requests = requests;
    requests.setOnReadyHandler(this::produce);
  }

  /** Sends while the call is ready; on-ready calls it again when the transport has room. */
  private void produce() {
    while (!finished && requests.isReady()) {
      if (sent == count) {
        finished = true;
        requests.onCompleted();
        return;
      }
      long next = sent + 1;
      maxAhead = Math.max(maxAhead, next - consumedSoFar.getAsLong());
      requests.onNext(Item.newBuilder().setSequence(next).setPayload(payload).build());
      sent = next;
    }
    if (!finished) {
      pauses++;
    }
  }

  @Override
  public void onNext(R response) {
    responses.add(response);
    if (response instanceof Consumed consumed) {
      acknowledged = consumed.getSequence();
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    result.complete(new Result<>(sent, maxAhead, pauses, List.copyOf(responses)));
  }
}
