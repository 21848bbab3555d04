package dev.plumb.spring;

import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Starting the tests' Spring Boot applications, and calling them from outside. */
final class SpringApps {
  private SpringApps() {}

  /** Starts {@code sources} as an application with {@code properties} ("key=value"). */
  static ConfigurableApplicationContext start(List<Class<?>> sources, String... properties) {
    return builder(sources).properties(properties).run();
  }

  static ConfigurableApplicationContext start(Class<?> source, String... properties) {
    return start(List.of(source), properties);
  }

  /**
   * Starts {@code source} with {@code variables} as its environment variables (instead of the
   * process's), which Spring binds as it binds real ones.
   */
  static ConfigurableApplicationContext startWithEnvironment(Class<?> source,
      Map<String, Object> variables) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    return builder(List.of(source)).environment(environment).run();
  }

  private static SpringApplicationBuilder builder(List<Class<?>> sources) {
    return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
        .web(WebApplicationType.NONE)
        // The tests close every context they start; a JVM-wide hook per context would pile up.
        .registerShutdownHook(false);
  }

  /** The addresses the application's Plumb server listens on, as targets. */
  static List<String> targets(ConfigurableApplicationContext context) {
    return context.getBean(PlumbServer.class).getListenSockets().stream()
        .map(SocketAddress::toString).toList();
  }

  /** Calls {@code target} on a channel of its own, which is closed after. */
  static <T> T withChannel(String target, Function<ManagedChannel, T> call)
      throws InterruptedException {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    try {
      return call.apply(channel);
    } finally {
      channel.shutdownNow();
      if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new AssertionError("channel to " + target + " did not terminate");
      }
    }
  }

  /** a + b, computed by the calculator at {@code target}. */
  static long add(String target, long a, long b) throws InterruptedException {
    return withChannel(target, channel -> add(channel, a, b));
  }

  static long add(ManagedChannel channel, long a, long b) {
    return CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(a).setB(b).build()).getValue();
  }
}
