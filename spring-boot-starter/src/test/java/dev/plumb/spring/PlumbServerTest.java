package dev.plumb.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.spring.example.server.CalculatorServerApplication;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/** The server side: beans served on real sockets, with what the properties turn on and off. */
@Timeout(60)
class PlumbServerTest {
  @TempDir
  Path dir;

  @Test
  void servesTheServiceBeansOnEveryListenAddress() throws Exception {
    String socket = "unix://" + dir.resolve("calc.sock");
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class,
        "plumb.server.listen=" + socket + ",tcp://127.0.0.1:0")) {
      List<String> targets = SpringApps.targets(server);
      assertEquals(2, targets.size(), targets.toString());
      assertEquals(socket, targets.get(0));
      assertTrue(targets.get(1).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), targets.get(1));
      for (String target : targets) {
        assertEquals(5, SpringApps.add(target, 2, 3), target);
      }
    }
  }

  @Test
  void healthAndReflectionAreOnByDefault() throws Exception {
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=tcp://127.0.0.1:0")) {
      String target = SpringApps.targets(server).get(0);
      assertEquals(ServingStatus.SERVING, health(target, CalculatorGrpc.SERVICE_NAME));
      assertEquals(ServingStatus.SERVING, health(target, ""));
      List<String> listed = SpringApps.withChannel(target, PlumbServerTest::reflectedServices);
      assertTrue(listed.containsAll(List.of(CalculatorGrpc.SERVICE_NAME,
          HealthGrpc.SERVICE_NAME, ServerReflectionGrpc.SERVICE_NAME,
          "grpc.reflection.v1alpha.ServerReflection", "grpc.channelz.v1.Channelz")), listed.toString());
      // The application may report its own health through the bean the starter serves.
      server.getBean(HealthStatusManager.class)
          .setStatus(CalculatorGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
      assertEquals(ServingStatus.NOT_SERVING, health(target, CalculatorGrpc.SERVICE_NAME));
    }
  }

  @Test
  void healthReflectionAndChannelzCanBeTurnedOff() throws Exception {
    try (ConfigurableApplicationContext server = SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=tcp://127.0.0.1:0",
        "plumb.server.health.enabled=false", "plumb.server.reflection.enabled=false",
        "plumb.server.channelz.enabled=false")) {
      String target = SpringApps.targets(server).get(0);
      assertTrue(server.getBeansOfType(HealthStatusManager.class).isEmpty());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> health(target, ""));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
      e = assertThrows(StatusRuntimeException.class,
          () -> SpringApps.withChannel(target, PlumbServerTest::reflectedServices));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
      assertEquals(5, SpringApps.add(target, 2, 3));
    }
  }

  @Test
  void interceptorBeansRunInTheirOrderAroundDefinitionBeans() throws Exception {
    try (ConfigurableApplicationContext server = SpringApps.start(InterceptedServer.class,
        "plumb.server.listen=tcp://127.0.0.1:0")) {
      assertEquals(5, SpringApps.add(SpringApps.targets(server).get(0), 2, 3));
      assertEquals(List.of("outer", "inner"), server.getBean(InterceptedServer.class).seen);
    }
  }

  @Test
  void noServerWithoutListenAddressesOrWhenDisabled() {
    try (ConfigurableApplicationContext none = SpringApps.start(
        CalculatorServerApplication.class)) {
      assertTrue(none.getBeansOfType(PlumbServer.class).isEmpty());
    }
    try (ConfigurableApplicationContext disabled = SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=tcp://127.0.0.1:0",
        "plumb.server.enabled=false")) {
      assertTrue(disabled.getBeansOfType(PlumbServer.class).isEmpty());
    }
  }

  @Test
  void anAddressThatCannotBeListenedOnFailsTheStart() {
    String missing = "unix://" + dir.resolve("no-such-dir").resolve("calc.sock");
    RuntimeException e = assertThrows(RuntimeException.class, () -> SpringApps.start(
        CalculatorServerApplication.class, "plumb.server.listen=" + missing).close());
    assertTrue(causes(e).contains("no-such-dir"), causes(e));
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }

  private static ServingStatus health(String target, String service) throws Exception {
    return SpringApps.withChannel(target, channel -> HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus());
  }

  /** The services that server reflection (v1) lists. */
  private static List<String> reflectedServices(ManagedChannel channel) {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    try {
      return answer.join().getListServicesResponse().getServiceList().stream()
          .map(ServiceResponse::getName).toList();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    } finally {
      requests.onCompleted();
    }
  }

  /** The calculator as a ServerServiceDefinition bean, with two ordered interceptors. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class InterceptedServer {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Bean
    ServerServiceDefinition calculator() {
      return new CalculatorService().bindService();
    }

    // Declared inner first: the order, not the declaration, decides.
    @Bean
    @Order(2)
    ServerInterceptor inner() {
      return recording("inner");
    }

    @Bean
    @Order(1)
    ServerInterceptor outer() {
      return recording("outer");
    }

    private ServerInterceptor recording(String name) {
      return new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call,
            Metadata headers, ServerCallHandler<Q, R> next) {
          seen.add(name);
          return next.startCall(call, headers);
        }
      };
    }
  }
}
