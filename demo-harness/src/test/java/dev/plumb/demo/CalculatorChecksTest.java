package dev.plumb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Number;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.PrimesRequest;
import dev.plumb.examples.calculator.Result;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** The demo's checks catch wrong answers: a calculator that lies, over the in-memory transport. */
@Timeout(30)
class CalculatorChecksTest {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void anHonestCalculatorPassesEveryCheck(TestInfo test) throws Exception {
    Checklist checklist = new Checklist();
    Stubs stubs = start(new CalculatorService(), test);
    new CalculatorChecks(stubs, checklist).run();
    UnaryLatency.measure(stubs, 10, 20, checklist);
    StreamingRate.measure(stubs, 1_000, checklist);
    assertEquals(List.of(), checklist.failures());
    assertEquals(16, checklist.passed());
  }

  @Test
  void wrongAnswersAndWrongErrorsAreReported(TestInfo test) throws Exception {
    Checklist checklist = new Checklist();
    Stubs stubs = start(new LyingCalculator(), test);
    new CalculatorChecks(stubs, checklist).run();
    UnaryLatency.measure(stubs, 10, 20, checklist);
    StreamingRate.measure(stubs, 1_000, checklist);
    List<String> failures = checklist.failures();
    assertTrue(failures.contains("2 + 3: expected 5, got 6"), failures.toString());
    assertTrue(failures.contains("1 / 0: expected INVALID_ARGUMENT, got the answer 0"),
        failures.toString());
    assertTrue(failures.contains("primes up to 50: expected [2, 3, 5, 7, 11, 13, 17, 19, 23, "
        + "29, 31, 37, 41, 43, 47], got [2, 3, 5, 7, 9]"), failures.toString());
    assertTrue(failures.contains("30 of 30 timed answers were wrong; the first: 0 + 1: expected"
        + " 1, got 2"), failures.toString());
    assertTrue(failures.contains("streaming primes up to 1000 (timed run): message 4 is 9,"
        + " expected 11"), failures.toString());
  }

  private Stubs start(BindableService service, TestInfo test) throws Exception {
    String address = "mem:checks-" + test.getTestMethod().orElseThrow().getName();
    server = PlumbServerBuilder.forAddress(address).addService(service).build().start();
    channel = PlumbChannelBuilder.forTarget(address).build();
    return new Stubs(channel, Duration.ofSeconds(10));
  }

  /** Adds one too many, divides by zero happily, and thinks 9 is prime. */
  private static final class LyingCalculator extends CalculatorGrpc.CalculatorImplBase {
    private final CalculatorService honest = new CalculatorService();

    @Override
    public void add(Operands request, StreamObserver<Result> response) {
      response.onNext(Result.newBuilder().setValue(request.getA() + request.getB() + 1).build());
      response.onCompleted();
    }

    @Override
    public void subtract(Operands request, StreamObserver<Result> response) {
      honest.subtract(request, response);
    }

    @Override
    public void multiply(Operands request, StreamObserver<Result> response) {
      honest.multiply(request, response);
    }

    @Override
    public void divide(Operands request, StreamObserver<Result> response) {
      response.onNext(Result.newBuilder()
          .setValue(request.getB() == 0 ? 0 : request.getA() / request.getB()).build());
      response.onCompleted();
    }

    @Override
    public void primes(PrimesRequest request, StreamObserver<Number> response) {
      for (long n : new long[] {2, 3, 5, 7, 9}) {
        if (n <= request.getLimit()) {
          response.onNext(Number.newBuilder().setValue(n).build());
        }
      }
      response.onCompleted();
    }
  }
}
