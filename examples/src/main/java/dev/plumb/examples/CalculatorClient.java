package dev.plumb.examples;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.PrimesRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * A calculator client: {@code CalculatorClient tcp://127.0.0.1:7000}, or with no argument the
 * target {@code plumb.target} configures ({@link ExampleConfiguration}). Apart from the line
 * that builds the channel from configuration, this is ordinary grpc-java code.
 */
public final class CalculatorClient {
  private CalculatorClient() {}

  public static void main(String[] args) throws InterruptedException {

    ManagedChannel channel = ExampleConfiguration.client(args).channelBuilder().build();
    try {
      CalculatorGrpc.CalculatorBlockingStub calc =
          CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      long sum = calc.add(Operands.newBuilder().setA(2).setB(3).build()).getValue();
      System.out.println("2 + 3 = " + sum);

      StringBuilder primes = new StringBuilder("primes up to 30:");
      calc.primes(PrimesRequest.newBuilder().setLimit(30).build())
          .forEachRemaining(prime -> primes.append(' ').append(prime.getValue()));
      System.out.println(primes);

      try {
        calc.divide(Operands.newBuilder().setA(1).setB(0).build());
      } catch (StatusRuntimeException e) {
        System.out.println("1 / 0 -> " + e.getStatus().getCode() + ": "
            + e.getStatus().getDescription());
      }
    } finally {
      channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
