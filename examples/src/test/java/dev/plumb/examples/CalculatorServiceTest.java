package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.CalculatorGrpc.CalculatorBlockingStub;
import dev.plumb.examples.calculator.Number;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.PrimesRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** The calculator's answers, over the in-memory transport in this JVM. */
@Timeout(30)
class CalculatorServiceTest {
  private Server server;
  private ManagedChannel channel;
  private CalculatorBlockingStub calc;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String address = "mem:calculator-" + test.getTestMethod().orElseThrow().getName();
    server = PlumbServerBuilder.forAddress(address).addService(new CalculatorService()).build()
        .start();
    channel = PlumbChannelBuilder.forTarget(address).build();
    calc = CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void fourOperations() {
    assertEquals(5, calc.add(operands(2, 3)).getValue());
    assertEquals(-6, calc.subtract(operands(4, 10)).getValue());
    assertEquals(-42, calc.multiply(operands(-6, 7)).getValue());
    assertEquals(8, calc.divide(operands(42, 5)).getValue());
    assertEquals(-8, calc.divide(operands(-42, 5)).getValue(), "rounds toward zero");
  }

  @Test
  void divisionByZeroIsInvalidArgument() {
    Status status = statusOf(() -> calc.divide(operands(7, 0)));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("division by zero: 7 / 0 has no value", status.getDescription());
  }

  @Test
  void overflowIsOutOfRange() {
    assertEquals(Status.Code.OUT_OF_RANGE,
        statusOf(() -> calc.add(operands(Long.MAX_VALUE, 1))).getCode());
    assertEquals(Status.Code.OUT_OF_RANGE,
        statusOf(() -> calc.subtract(operands(Long.MIN_VALUE, 1))).getCode());
    assertEquals(Status.Code.OUT_OF_RANGE,
        statusOf(() -> calc.multiply(operands(Long.MAX_VALUE, 2))).getCode());
    Status status = statusOf(() -> calc.divide(operands(Long.MIN_VALUE, -1)));
    assertEquals(Status.Code.OUT_OF_RANGE, status.getCode());
    assertTrue(status.getDescription().contains("does not fit in 64 bits"),
        status.getDescription());
  }

  @Test
  void primesStreamsInOrder() {
    assertEquals(List.of(2L, 3L, 5L, 7L, 11L, 13L, 17L, 19L, 23L, 29L), primes(30));
    assertEquals(List.of(), primes(0));
    assertEquals(List.of(), primes(1));
    assertEquals(List.of(2L), primes(2));
    assertEquals(9_592, primes(100_000).size());
  }

  @Test
  void primesRefusesLimitsOutOfBounds() {
    assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> primes(-1)).getCode());
    Status status = statusOf(() -> primes(CalculatorService.MAX_PRIMES_LIMIT + 1));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertTrue(status.getDescription().contains("limit must be between 0 and"),
        status.getDescription());
  }

  private List<Long> primes(long limit) {
    List<Long> values = new ArrayList<>();
    calc.primes(PrimesRequest.newBuilder().setLimit(limit).build())
        .forEachRemaining((Number n) -> values.add(n.getValue()));
    return values;
  }

  private static Status statusOf(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus();
  }

  private static Operands operands(long a, long b) {
    return Operands.newBuilder().setA(a).setB(b).build();
  }
}
