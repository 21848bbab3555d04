package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import dev.plumb.rpc.testing.Reflection;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, Plumb's listeners and the gRPC (HTTP/2) ones beside them: the same services,
 * interceptor, health and reflection answer on every address; they start all or none and
 * drain together.
 */
@Timeout(60)
class PlumbGrpcServerTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  /** A channel to one listen socket of the server, Plumb's or gRPC's, as its clients make it. */
  private ManagedChannel channelTo(SocketAddress listening) {
    if (listening instanceof GrpcListenAddress grpc) {
      return cleanup.add(Grpc.newChannelBuilder(grpc.grpcTarget(),
          InsecureChannelCredentials.create()).build());
    }
    return cleanup.add(PlumbChannelBuilder.forTarget(listening.toString()).build());
  }

  @Test
  void everyAddressServesTheSameServicesInterceptorHealthAndReflection() throws Exception {
    ConcurrentLinkedQueue<String> intercepted = new ConcurrentLinkedQueue<>();
    HealthStatusManager health = new HealthStatusManager();
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("tcp://127.0.0.1:0")
        .addListenAddress("grpc://127.0.0.1:0")
        .addListenAddress("unix://" + dir.resolve("calc.sock"))
        .addListenAddress("grpc+unix://" + dir.resolve("calc.h2.sock"))
        .addService(new CalculatorService())
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .intercept(recordingMethods(intercepted))
        .build().start());
    health.setStatus("plumb.examples.calculator.Calculator", ServingStatus.NOT_SERVING);

    List<? extends SocketAddress> sockets = server.getListenSockets();
    assertEquals(4, sockets.size(), sockets.toString());
    for (SocketAddress socket : sockets) {
      Channel channel = channelTo(socket);
      String where = " over " + socket;
      assertEquals(5, CalculatorGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .add(Operands.newBuilder().setA(2).setB(3).build()).getValue(), where);
      assertEquals(ServingStatus.NOT_SERVING, HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder()
              .setService("plumb.examples.calculator.Calculator").build()).getStatus(), where);
      assertEquals(List.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
          "plumb.examples.calculator.Calculator"), Reflection.services(channel), where);
      assertEquals("plumb/examples/calculator/calculator.proto",
          Reflection.fileDeclaring(channel, "plumb.examples.calculator.Calculator"), where);
    }
    // The one interceptor saw every call, reflection's included, on every address.
    assertEquals(4 * 4, intercepted.size(), intercepted.toString());
    assertEquals(4, intercepted.stream()
        .filter("plumb.examples.calculator.Calculator/Add"::equals).count());
  }

  @Test
  void listenSocketsAreTheAddressesInTheOrderGivenAsBound() throws Exception {
    Path h2 = dir.resolve("order.h2.sock");
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("grpc://127.0.0.1:0")
        .addListenAddress("tcp://127.0.0.1:0")
        .addListenAddress("grpc+unix:" + h2)
        .addService(new CalculatorService())
        .build().start());
    List<? extends SocketAddress> sockets = server.getListenSockets();
    GrpcListenAddress first = assertInstanceOf(GrpcListenAddress.class, sockets.get(0));
    int port = ((InetSocketAddress) first.socketAddress()).getPort();
    assertTrue(port > 0, first.toString());
    assertEquals("grpc://127.0.0.1:" + port, first.toString());
    assertEquals("127.0.0.1:" + port, first.grpcTarget());
    assertEquals(port, server.getPort());
    PlumbAddress second = assertInstanceOf(PlumbAddress.class, sockets.get(1));
    assertEquals("tcp", second.scheme());
    assertEquals("grpc+unix://" + h2, sockets.get(2).toString());
    assertEquals("unix://" + h2, ((GrpcListenAddress) sockets.get(2)).grpcTarget());
  }

  @Test
  void shutdownDrainsTheCallsInFlightOnBothKindsOfListener() throws Exception {
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("tcp://127.0.0.1:0")
        .addListenAddress("grpc://127.0.0.1:0")
        .addService(new ConformanceService())
        .build().start());
    List<ManagedChannel> channels = new ArrayList<>();
    List<OpenBidi> calls = new ArrayList<>();
    for (SocketAddress socket : server.getListenSockets()) {
      ManagedChannel channel = channelTo(socket);
      channels.add(channel);
      calls.add(OpenBidi.start(channel));
    }

    server.shutdown();
    assertTrue(server.isShutdown());
    assertFalse(server.isTerminated(), "terminated with two calls in flight");
    for (ManagedChannel channel : channels) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .unary(EchoRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(),
          refused.getStatus().toString());
    }
    for (OpenBidi call : calls) {
      assertEquals(ByteString.copyFromUtf8("after shutdown"), call.echo("after shutdown"));
      call.finish();
    }
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "not terminated once drained");
  }

  @Test
  void anAddressThatCannotBeBoundLeavesNoneListening() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path socket = dir.resolve("first.sock");
      Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("unix://" + socket)
          .addListenAddress("grpc+unix://" + dir.resolve("second.h2.sock"))
          .addListenAddress("grpc://127.0.0.1:" + taken.getLocalPort())
          .addService(new CalculatorService())
          .build());
      IOException failure = assertThrows(IOException.class, server::start);
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), failure.toString());
      ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("unix://" + socket)
          .build());
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .add(Operands.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    }
  }

  @Test
  void malformedAddressesFailWhenGiven() {
    for (String address : List.of("grpc://127.0.0.1", "grpc://:7001", "grpc://host:1/path",
        "grpc+unix://host/x.sock", "grpc+unix:", "grpc://127.0.0.1:1?x=1", "nope://x")) {
      assertThrows(IllegalArgumentException.class,
          () -> PlumbGrpcServerBuilder.forAddress(address), address);
    }
  }

  private static ServerInterceptor recordingMethods(ConcurrentLinkedQueue<String> methods) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call,
          Metadata headers, ServerCallHandler<Q, R> next) {
        methods.add(call.getMethodDescriptor().getFullMethodName());
        return next.startCall(call, headers);
      }
    };
  }

  /** A bidi call of the conformance service, open until {@link #finish}. */
  private static final class OpenBidi {
    private final LinkedBlockingQueue<EchoResponse> responses = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private StreamObserver<EchoRequest> requests;

    static OpenBidi start(Channel channel) throws Exception {
      OpenBidi call = new OpenBidi();
      call.requests = ConformanceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .bidi(new StreamObserver<>() {
            @Override
            public void onNext(EchoResponse response) {
              call.responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
              call.closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              call.closed.complete(Status.OK);
            }
          });
      assertEquals(ByteString.copyFromUtf8("open"), call.echo("open"));
      return call;
    }

    ByteString echo(String text) throws Exception {
      requests.onNext(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8(text)).build());
      EchoResponse response = responses.poll(10, TimeUnit.SECONDS);
      if (response == null) {
        throw new AssertionError("no echo of '" + text + "'; call closed with "
            + closed.getNow(null));
      }
      return response.getPayload();
    }

    void finish() throws Exception {
      requests.onCompleted();
      assertEquals(Status.Code.OK, closed.get(10, TimeUnit.SECONDS).getCode());
    }
  }
}
