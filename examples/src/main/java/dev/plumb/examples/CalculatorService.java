package dev.plumb.examples;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Number;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.PrimesRequest;
import dev.plumb.examples.calculator.Result;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.PrimitiveIterator;
import java.util.function.LongSupplier;

/**
 * The calculator's implementation: plain grpc-java service code that knows nothing about the
 * transport. Errors are answered with a {@link Status}, never with an exception that escapes.
 */
public final class CalculatorService extends CalculatorGrpc.CalculatorImplBase {
  /** The largest {@code limit} that {@code Primes} accepts; its sieve takes limit / 16 bytes. */
  public static final long MAX_PRIMES_LIMIT = 100_000_000;

  @Override
  public void add(Operands request, StreamObserver<Result> response) {
    answer(response, () -> Math.addExact(request.getA(), request.getB()), request, "+");
  }

  @Override
  public void subtract(Operands request, StreamObserver<Result> response) {
    answer(response, () -> Math.subtractExact(request.getA(), request.getB()), request, "-");
  }

  @Override
  public void multiply(Operands request, StreamObserver<Result> response) {
    answer(response, () -> Math.multiplyExact(request.getA(), request.getB()), request, "*");
  }

  @Override
  public void divide(Operands request, StreamObserver<Result> response) {
    if (request.getB() == 0) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("division by zero: " + request.getA() + " / 0 has no value")
          .asRuntimeException());
      return;
    }
    answer(response, () -> {
      if (request.getA() == Long.MIN_VALUE && request.getB() == -1) {
        throw new ArithmeticException("long overflow");
      }
      return request.getA() / request.getB();
    }, request, "/");
  }

  /**
   * Streams the primes with gRPC's manual flow control: a message is sent only while the call
   * {@code isReady()}, and sending resumes in the on-ready handler. A slow client therefore
   * holds the server back instead of making it buffer the whole sequence.
   */
  @Override
  public void primes(PrimesRequest request, StreamObserver<Number> response) {
    long limit = request.getLimit();
    if (limit < 0 || limit > MAX_PRIMES_LIMIT) {
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("limit must be between 0 and " + MAX_PRIMES_LIMIT + ", not " + limit)
          .asRuntimeException());
      return;
    }
    new FlowControlledSender((ServerCallStreamObserver<Number>) response,
        PrimeSieve.upTo((int) limit)).start();
  }

  private static void answer(StreamObserver<Result> response, LongSupplier operation,
      Operands operands, String operator) {
    long value;
    try {
      value = operation.getAsLong();
    } catch (ArithmeticException e) {
      response.onError(Status.OUT_OF_RANGE
          .withDescription(operands.getA() + " " + operator + " " + operands.getB()
              + " does not fit in 64 bits")
          .asRuntimeException());
      return;
    }
    response.onNext(Result.newBuilder().setValue(value).build());
    response.onCompleted();
  }

  /**
   * Sends a sequence when the call is ready for it. gRPC runs the on-ready and on-cancel
   * handlers of one call one at a time, on the call's executor, so the fields need no lock.
   */
  private static final class FlowControlledSender implements Runnable {
    private final ServerCallStreamObserver<Number> call;
    private final PrimitiveIterator.OfInt values;
    private boolean done;

    FlowControlledSender(ServerCallStreamObserver<Number> call, PrimitiveIterator.OfInt values) {
      this.call = call;
      this.values = values;
    }

    void start() {
      call.setOnCancelHandler(() -> done = true);
      // gRPC calls this once the method has returned, and again whenever the client has
      // consumed enough to make the call ready after isReady() said no.
      call.setOnReadyHandler(this);
    }

    @Override
    public void run() {
      while (!done && call.isReady()) {
        if (!values.hasNext()) {
          done = true;
          call.onCompleted();
          return;
        }
        call.onNext(Number.newBuilder().setValue(values.nextInt()).build());
      }
    }
  }
}
