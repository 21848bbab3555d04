package dev.plumb.benchmarks.driver;

import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Async-stub unary calls one at a time, each issued from the completion callback of the call
 * before it, timed from issue to completion: the latency of an application that never blocks
 * a thread on a call. The callbacks run where the channel's executor puts them: on the
 * transport's thread in direct mode, on a pool thread in default mode.
 *
 * <p>The plain fields and the histogram are touched by one thread at a time: the one issuing
 * the current call, then the one running its callback. The transport hands a new call to the
 * thread that completes it through its own synchronised structures, and {@link #wanted}'s
 * atomic updates order the hand-over from a callback to the issuing thread, so each step
 * happens-after the one before it: no lock is needed.
 */
final class AsyncCallChain implements StreamObserver<Payload> {
  private final EchoGrpc.EchoStub stub;
  private final Payload request;
  private final int maxCalls;
  private final int minCalls;
  private final long stopAt;
  private final Histogram histogram;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  /** Calls asked for and not yet issued, plus one while a thread is issuing them. */
  private final AtomicInteger wanted = new AtomicInteger();
  private long startedAt;
  private int made;
  private boolean answered;

  private AsyncCallChain(EchoGrpc.EchoStub stub, Payload request, int maxCalls, int minCalls,
      long stopAt, Histogram histogram) {
    this.stub = stub;
    this.request = request;
    this.maxCalls = maxCalls;
    this.minCalls = minCalls;
    this.stopAt = stopAt;
    this.histogram = histogram;
  }

  /**
   * Starts a chain that makes calls until {@code maxCalls}, or until {@code System.nanoTime()}
   * passes {@code stopAt} once at least {@code minCalls} were made, recording each into
   * {@code histogram} unless it is null. May return only when the chain is done (see
   * {@link #next}).
   */
  static AsyncCallChain start(EchoGrpc.EchoStub stub, Payload request, int maxCalls,
      int minCalls, long stopAt, Histogram histogram) {
    AsyncCallChain chain = new AsyncCallChain(stub, request, maxCalls, minCalls, stopAt,
        histogram);
    chain.next();
    return chain;
  }

  /** How many calls the chain made; throws if one failed or it is not done within {@code wait}. */
  int await(Duration wait) throws Exception {
    try {
      return done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an async call failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Issues the next call, or leaves it to the thread that is issuing calls already: with
   * direct executors on both sides, grpc in-process completes a call inside
   * {@code stub.unary}, and a chain that recursed would overflow the stack. Whoever takes
   * {@link #wanted} from 0 issues calls until no more are wanted; its atomic updates also
   * order the fields between the threads involved.
   */
  private void next() {
    if (wanted.getAndIncrement() != 0) {
      return;
    }
    do {
      answered = false;
      startedAt = System.nanoTime();
      stub.unary(request, this);
    } while (wanted.decrementAndGet() != 0);
  }

  @Override
  public void onNext(Payload response) {
    answered = response.getData().size() == request.getData().size();
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    long end = System.nanoTime();
    if (!answered) {
      done.completeExceptionally(new IllegalStateException("echo of "
          + request.getData().size() + " bytes missing or of the wrong size"));
      return;
    }
    if (histogram != null) {
      histogram.recordValue(Math.min(end - startedAt, histogram.getHighestTrackableValue()));
    }
    made++;
    if (made < maxCalls && (made < minCalls || end - stopAt < 0)) {
      next();
    } else {
      done.complete(made);
    }
  }
}
