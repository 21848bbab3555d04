package example.hello.spring;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.spring.PlumbServer;
import example.hello.v1.GreeterGrpc;
import example.hello.v1.HelloReply;
import example.hello.v1.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The consumer check's Spring Boot application: its greeter bean is served on
 * plumb.server.listen, and once it runs it calls itself over the injected channel of client
 * "self" and over a channel of its own to every address it listens on, printing one line per
 * call; then it closes its context (draining the server) and exits non-zero on a failure.
 */
@SpringBootApplication
public class HelloSpringApp {
  @Bean
  GreeterGrpc.GreeterImplBase greeter() {
    return new GreeterGrpc.GreeterImplBase() {
      @Override
      public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
        replies.onNext(HelloReply.newBuilder().setMessage("Hello, " + request.getName()).build());
        replies.onCompleted();
      }
    };
  }

  @Bean
  ApplicationRunner callEveryAddress(@Qualifier("self") ManagedChannel self,
      PlumbServer server) {
    return arguments -> {
      System.out.println("called self: '" + hello(self, "self") + "'");
      for (SocketAddress address : server.getListenSockets()) {
        ManagedChannel channel = PlumbChannelBuilder.forTarget(address.toString()).build();
        try {
          System.out.println("called " + address + ": '" + hello(channel, "spring") + "'");
        } finally {
          channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    };
  }

  private static String hello(ManagedChannel channel, String name) {
    return GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName(name).build()).getMessage();
  }

  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(HelloSpringApp.class, args)));
  }
}
