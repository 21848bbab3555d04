package example.hello;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import example.hello.v1.GreeterGrpc;
import example.hello.v1.HelloReply;
import example.hello.v1.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * An application of the consumer check: for each listen address given, a server and a channel
 * to it in this JVM, a unary call and a server stream; for {@code pipe:}, the channel starts
 * this application as its child, serving on {@code stdio:} ({@code --serve stdio:}). Prints one
 * line per address, exits non-zero on the first failure.
 */
public final class HelloApp {
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--serve")) {
      PlumbServerBuilder.forAddress(args[1]).addService(new Greeter()).build().start()
          .awaitTermination();
      return;
    }
    for (String listen : args) {
      // The first Plumb call: it refuses a grpc-java outside Plumb's range.
      Server server = listen.equals("pipe:") ? null
          : PlumbServerBuilder.forAddress(listen).addService(new Greeter()).build().start();
      try {
        String target = server == null ? "pipe:'" + javaCommand() + "' -cp '"
            + System.getProperty("java.class.path") + "' example.hello.HelloApp --serve stdio:"
            : server.getListenSockets().get(0).toString();
        ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
        try {
          GreeterGrpc.GreeterBlockingStub greeter =
              GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
          HelloRequest request = HelloRequest.newBuilder().setName(listen).setTimes(3).build();
          String hello = greeter.sayHello(request).getMessage();
          int streamed = 0;
          for (Iterator<HelloReply> it = greeter.sayHelloTimes(request); it.hasNext(); it.next()) {
            streamed++;
          }
          if (!hello.equals("Hello, " + listen) || streamed != 3) {
            throw new AssertionError(target + ": '" + hello + "', " + streamed + " streamed");
          }
          System.out.println("called " + (server == null ? listen : target) + ": '" + hello
              + "', " + streamed + " streamed");
        } finally {
          channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      } finally {
        if (server != null) {
          server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static String javaCommand() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static final class Greeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
      replies.onNext(HelloReply.newBuilder().setMessage("Hello, " + request.getName()).build());
      replies.onCompleted();
    }

    @Override
    public void sayHelloTimes(HelloRequest request, StreamObserver<HelloReply> replies) {
      for (int i = 0; i < request.getTimes(); i++) {
        replies.onNext(HelloReply.newBuilder().setMessage(i + ": " + request.getName()).build());
      }
      replies.onCompleted();
    }
  }
}
