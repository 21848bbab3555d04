package dev.plumb.demo;

import dev.plumb.examples.calculator.CalculatorGrpc.CalculatorBlockingStub;
import dev.plumb.examples.calculator.CalculatorGrpc.CalculatorStub;
import dev.plumb.examples.calculator.CalculatorGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Calculator stubs on one channel, each with a fresh deadline for its call. */
public final class Stubs {
  private final CalculatorBlockingStub blocking;
  private final CalculatorStub async;
  private final Duration deadline;

  public Stubs(Channel channel, Duration deadline) {
    this.blocking = CalculatorGrpc.newBlockingStub(channel);
    this.async = CalculatorGrpc.newStub(channel);
    this.deadline = deadline;
  }

  /** A blocking stub for one call: its deadline starts now. */
  public CalculatorBlockingStub next() {
    return blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An asynchronous stub for one call: its deadline starts now. */
  public CalculatorStub nextAsync() {
    return async.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The deadline each call gets. */
  public Duration deadline() {
    return deadline;
  }
}
