package dev.plumb.spring.example.server;

import dev.plumb.examples.CalculatorService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The example's server: its one gRPC service is a bean, and the starter serves it wherever
 * {@code plumb.server.listen} says, with health and reflection beside it.
 *
 * <pre>
 *   java ... dev.plumb.spring.example.server.CalculatorServerApplication \
 *       --plumb.server.listen=unix:///tmp/calculator.sock
 * </pre>
 */
@SpringBootApplication
public class CalculatorServerApplication {
  @Bean
  CalculatorService calculatorService() {
    return new CalculatorService();
  }

  public static void main(String[] args) {
    SpringApplication.run(CalculatorServerApplication.class, args);
  }
}
