package dev.plumb.spring;

import dev.plumb.examples.calculator.CalculatorGrpc;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server interceptor (a bean in the tests that use it) that holds every calculator call at
 * its start until the test opens the gate, or the call is cancelled: a call in flight for as
 * long as the test wants.
 */
final class CallGate implements ServerInterceptor {
  private final CompletableFuture<Void> open = new CompletableFuture<>();
  private final CountDownLatch arrived = new CountDownLatch(1);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getServiceName().equals(CalculatorGrpc.SERVICE_NAME)) {
      arrived.countDown();
      CompletableFuture<Void> proceed = new CompletableFuture<>();
      open.thenRun(() -> proceed.complete(null));
      // The call's context is cancelled when the call is (a drain past its grace).
      Context.current().addListener(context -> proceed.complete(null), Runnable::run);
      try {
        proceed.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError("a held call was neither let through nor cancelled", e);
      }
    }
    return next.startCall(call, headers);
  }

  /** Waits until a calculator call is held. */
  void awaitArrival() throws InterruptedException {
    if (!arrived.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no calculator call arrived within 10 s");
    }
  }

  /** Lets held calls, and every later one, through. */
  void open() {
    open.complete(null);
  }
}
