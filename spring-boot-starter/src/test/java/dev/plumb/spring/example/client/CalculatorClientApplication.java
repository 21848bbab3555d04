package dev.plumb.spring.example.client;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import io.grpc.ManagedChannel;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The example's client: the channel of the client named "calculator"
 * ({@code plumb.client.calculator.target}) is injected, and a stub made of it is a bean.
 *
 * <pre>
 *   java ... dev.plumb.spring.example.client.CalculatorClientApplication \
 *       --plumb.client.calculator.target=unix:///tmp/calculator.sock --add=2,3
 * </pre>
 */
@SpringBootApplication
public class CalculatorClientApplication {
  @Bean
  CalculatorGrpc.CalculatorBlockingStub calculator(
      @Qualifier("calculator") ManagedChannel channel) {
    return CalculatorGrpc.newBlockingStub(channel);
  }

  /** With {@code --add=A,B}: prints A + B as the server computes it. */
  @Bean
  ApplicationRunner addFromCommandLine(CalculatorGrpc.CalculatorBlockingStub calculator) {
    return arguments -> {
      if (arguments.containsOption("add")) {
        String[] operands = arguments.getOptionValues("add").get(0).split(",");
        long a = Long.parseLong(operands[0].trim());
        long b = Long.parseLong(operands[1].trim());
        long sum = calculator.add(Operands.newBuilder().setA(a).setB(b).build()).getValue();
        System.out.println(a + " + " + b + " = " + sum);
      }
    };
  }

  public static void main(String[] args) {
    SpringApplication.run(CalculatorClientApplication.class, args);
  }
}
