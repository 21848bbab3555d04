package dev.plumb.examples.share;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A consumer's side of one {@code Take} call: asks for one chunk at a time (manual flow
 * control: the next is requested once the last has been checked and summed), checks that the
 * chunks are exactly this consumer's, in order and of the right lengths, and keeps the CRC-32C
 * of their bytes and the call's time. Whether the bytes are right is judged by comparing that
 * checksum with {@link DataSet#checksumOf}, computed without the producer.
 *
 * <p>Threading: gRPC calls {@link #beforeStart} on the calling thread before the call starts,
 * then the response callbacks one at a time, so the fields need no lock; {@link #result}
 * completes once and publishes them.
 */
public final class ShareReceiver implements ClientResponseObserver<TakeRequest, Chunk> {
  /**
   * What one consumer received.
   *
   * @param chunks chunks received
   * @param bytes bytes received
   * @param checksum the CRC-32C of those bytes, in order
   * @param nanos from the call's start to its end
   * @param startMicros when the call started, microseconds since the epoch (to relate the
   *     calls of several processes)
   * @param endMicros when it ended, likewise
   * @param problem what was wrong with the stream (a chunk not this consumer's, a wrong length,
   *     chunks missing), or null
   */
  public record Received(long chunks, long bytes, long checksum, long nanos, long startMicros,
      long endMicros, String problem) {}

  private final DataSet data;
  private final int consumer;
  private final int consumers;
  private final CompletableFuture<Received> result = new CompletableFuture<>();
  private final ShareTally tally = new ShareTally();
  private ClientCallStreamObserver<TakeRequest> call;
  private long expectedIndex;

  public ShareReceiver(DataSet data, int consumer, int consumers) {
    this.data = data;
    this.consumer = consumer;
    this.consumers = consumers;
    this.expectedIndex = consumer;
  }

  /**
   * Takes share {@code consumer} of {@code consumers} over {@code channel} and waits for the
   * end of the stream.
   *
   * @throws io.grpc.StatusRuntimeException if the call failed
   */
  public static Received take(Channel channel, DataSet data, int consumer, int consumers,
      Duration deadline) throws InterruptedException {
    ShareReceiver receiver = new ShareReceiver(data, consumer, consumers);
    ShareGrpc.newStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .take(data.request(consumer, consumers), receiver);
    try {
      // The deadline ends the call; the margin only guards against a call that never ends.
      return receiver.result().get(deadline.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED.withDescription("the call did not end after its deadline")
          .asRuntimeException();
    }
  }

  public CompletableFuture<Received> result() {
    return result;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<TakeRequest> call) {
    this.call = call;
    call.disableAutoRequestWithInitial(1);
    tally.start();
  }

  @Override
  public void onNext(Chunk chunk) {
    if (result.isDone()) {
      return;
    }
    if (chunk.getIndex() != expectedIndex) {
      fail("chunk " + chunk.getIndex() + " arrived where chunk " + expectedIndex
          + " was expected");
      return;
    }
    if (chunk.getData().size() != data.chunkLength(expectedIndex)) {
      fail("chunk " + expectedIndex + " has " + chunk.getData().size() + " bytes, not "
          + data.chunkLength(expectedIndex));
      return;
    }
    tally.add(chunk.getData());
    expectedIndex += consumers;
    // This chunk is done with: the next one may come.
    call.request(1);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    long expected = data.chunksOf(consumer, consumers);
    finish(tally.chunks() == expected ? null : "the stream ended after " + tally.chunks()
        + " chunks; " + expected + " were expected");
  }

  /** Ends the call: the rest of the stream is of no use once one chunk is wrong. */
  private void fail(String problem) {
    finish(problem);
    call.cancel(problem, null);
  }

  private void finish(String problem) {
    result.complete(tally.finish(problem));
  }
}
