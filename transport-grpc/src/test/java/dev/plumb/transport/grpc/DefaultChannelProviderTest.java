package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plumb's channel provider stands first in gRPC's order (so that it sees targets that are not
 * URIs): gRPC's default builders still give what they gave without Plumb for every target that
 * is not Plumb's (grpc-netty's builder here, reaching a grpc-netty server), and a Plumb channel
 * for a Plumb target.
 */
@Timeout(60)
class DefaultChannelProviderTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private static long add(ManagedChannel channel) {
    return CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(40).setB(2).build()).getValue();
  }

  @Test
  void forAddressAndForTargetStayGrpcNettysForHttp2AndArePlumbsForPlumb() throws Exception {
    Server server = cleanup.add(PlumbGrpcServerBuilder.forAddress("grpc://127.0.0.1:0")
        .addListenAddress("tcp://127.0.0.1:0")
        .addService(new CalculatorService()).build().start());
    int port = ((InetSocketAddress) ((GrpcListenAddress) server.getListenSockets().get(0))
        .socketAddress()).getPort();
    for (ManagedChannelBuilder<?> builder : List.of(
        ManagedChannelBuilder.forAddress("127.0.0.1", port),
        ManagedChannelBuilder.forTarget("127.0.0.1:" + port),
        ManagedChannelBuilder.forTarget("dns:///127.0.0.1:" + port))) {
      assertInstanceOf(NettyChannelBuilder.class, builder);
      assertEquals(42, add(cleanup.add(builder.usePlaintext().build())));
    }
    ManagedChannelBuilder<?> plumb = ManagedChannelBuilder.forTarget(
        server.getListenSockets().get(1).toString());
    assertInstanceOf(PlumbChannelBuilder.class, plumb);
    assertEquals(42, add(cleanup.add(plumb.build())));
  }
}
