package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding Plumb's unix: transport to an application does not take {@code unix:} from grpc-netty:
 * with both on the class path, {@code Grpc.newChannelBuilder("unix:///path")} still reaches a
 * grpc-netty (HTTP/2) server on that socket, and a Plumb server on a Unix socket is reached the
 * documented ways: {@code PlumbChannelBuilder.forTarget("unix:///path")}, and
 * {@code plumb+unix:///path} in gRPC's registry.
 */
@Timeout(60)
class UnixSchemeTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();
  /** The grpc-netty server's event loops, which it does not own: shut down after it. */
  private final EpollEventLoopGroup nettyLoops = new EpollEventLoopGroup(1,
      new DefaultThreadFactory("test-netty-uds", true));

  @AfterEach
  void close() throws Exception {
    try {
      cleanup.close();
    } finally {
      nettyLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private static long add(Channel channel) {
    return CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(20).setB(22).build()).getValue();
  }

  @Test
  void grpcsOwnUnixTargetStillReachesAGrpcNettyServer() throws Exception {
    Path socket = dir.resolve("netty.sock");
    // A plain grpc-netty server on a Unix socket, as an application has it without Plumb.
    cleanup.add(NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(nettyLoops).workerEventLoopGroup(nettyLoops)
        .addService(new CalculatorService()).build().start());
    ManagedChannel channel = cleanup.add(Grpc.newChannelBuilder("unix://" + socket,
        InsecureChannelCredentials.create()).build());
    assertEquals(42, add(channel));
  }

  @Test
  void aPlumbUnixServerIsReachedAsDocumented() throws Exception {
    Path socket = dir.resolve("plumb.sock");
    cleanup.add(PlumbServerBuilder.forAddress("unix://" + socket)
        .addService(new CalculatorService()).build().start());
    assertEquals(42, add(cleanup.add(PlumbChannelBuilder.forTarget("unix://" + socket)
        .build())));
    assertEquals(42, add(cleanup.add(Grpc.newChannelBuilder("plumb+unix://" + socket,
        InsecureChannelCredentials.create()).build())));
    assertEquals(42, add(cleanup.add(PlumbChannelBuilder.forTarget("plumb+unix://" + socket)
        .build())));
  }
}
