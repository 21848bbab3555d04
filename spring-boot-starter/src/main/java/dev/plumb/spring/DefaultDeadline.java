package dev.plumb.spring;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call that has no deadline of its own the client's
 * ({@code plumb.client.NAME.deadline}).
 */
final class DefaultDeadline implements ClientInterceptor {
  private final long nanos;

  DefaultDeadline(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("a deadline must be positive, not " + deadline);
    }
    this.nanos = deadline.toNanos();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    return next.newCall(method, options.getDeadline() != null ? options
        : options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS));
  }
}
