package dev.plumb.benchmarks.driver;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * A call's observer whose {@link #done} completes when the call ends, normally or with its
 * error. Its completion publishes what the observer wrote before to the thread that waits.
 */
abstract class CompletionObserver<T> implements StreamObserver<T> {
  final CompletableFuture<Void> done = new CompletableFuture<>();

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    done.complete(null);
  }
}
