package dev.plumb.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.channelz.v1.Channel;
import io.grpc.channelz.v1.ChannelzGrpc;
import io.grpc.channelz.v1.GetServerSocketsRequest;
import io.grpc.channelz.v1.GetServersRequest;
import io.grpc.channelz.v1.GetSocketRequest;
import io.grpc.channelz.v1.GetSubchannelRequest;
import io.grpc.channelz.v1.GetTopChannelsRequest;
import io.grpc.channelz.v1.SocketData;
import io.grpc.channelz.v1.SocketRef;
import io.grpc.protobuf.services.ChannelzService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * channelz's view of Plumb's connections, as a tool sees it through grpc-services'
 * {@link ChannelzService}: after {@value #CALLS} calls over one {@code tcp:} or {@code unix:}
 * connection, the server's socket and the client's socket each report that many streams
 * started and succeeded, none failed, that many messages each way with the time of the last,
 * and the link's two addresses. channelz is asked over a {@code mem:} channel of its own, so
 * that its own calls are counted elsewhere.
 */
@Timeout(60)
class ChannelzSocketStatsTest {
  private static final int CALLS = 7;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void eachSocketCountsTheCallsItCarried(String transport) throws Exception {
    String address = transport.equals("tcp") ? "tcp://127.0.0.1:0"
        : "unix://" + dir.resolve("calc.sock");
    Server server = cleanup.add(PlumbServerBuilder.forAddress(address)
        .addService(new CalculatorService()).build().start());
    String target = server.getListenSockets().get(0).toString();
    ManagedChannel measured = cleanup.add(PlumbChannelBuilder.forTarget(target).build());
    CalculatorGrpc.CalculatorBlockingStub calculator = CalculatorGrpc.newBlockingStub(measured);
    for (int i = 0; i < CALLS; i++) {
      assertEquals(i + 1, calculator.withDeadlineAfter(10, TimeUnit.SECONDS)
          .add(Operands.newBuilder().setA(i).setB(1).build()).getValue());
    }

    String channelzName = "mem:channelz-" + transport;
    cleanup.add(PlumbServerBuilder.forAddress(channelzName)
        .addService(ChannelzService.newInstance(100)).build().start());
    ChannelzGrpc.ChannelzBlockingStub channelz = ChannelzGrpc.newBlockingStub(
        cleanup.add(PlumbChannelBuilder.forTarget(channelzName).build()));

    SocketData serverSide = awaitCounts(() -> serverSocket(channelz, target));
    assertCounts(serverSide);
    SocketData clientSide = awaitCounts(() -> clientSocket(channelz, target));
    assertCounts(clientSide);
    assertTrue(clientSide.hasLastLocalStreamCreatedTimestamp(), clientSide.toString());
    assertTrue(serverSide.hasLastRemoteStreamCreatedTimestamp(), serverSide.toString());
  }

  private static void assertCounts(SocketData data) {
    assertEquals(CALLS, data.getStreamsStarted(), data.toString());
    assertEquals(CALLS, data.getStreamsSucceeded(), data.toString());
    assertEquals(0, data.getStreamsFailed(), data.toString());
    assertEquals(CALLS, data.getMessagesSent(), data.toString());
    assertEquals(CALLS, data.getMessagesReceived(), data.toString());
    assertTrue(data.hasLastMessageSentTimestamp() && data.hasLastMessageReceivedTimestamp(),
        data.toString());
  }

  /**
   * The socket's data once its streams have all ended: a side counts a stream as ended on its
   * own callback thread, which may come a little after the other side has seen the call end.
   */
  private static SocketData awaitCounts(SocketQuery query) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    io.grpc.channelz.v1.Socket socket = query.ask();
    while (socket.getData().getStreamsSucceeded() + socket.getData().getStreamsFailed() < CALLS
        && System.nanoTime() < deadline) {
      socket = query.ask();
    }
    assertTrue(socket.hasLocal() && socket.hasRemote(), socket.toString());
    return socket.getData();
  }

  private interface SocketQuery {
    io.grpc.channelz.v1.Socket ask();
  }

  /** The one socket of the server at {@code target}: its name lists its addresses. */
  private static io.grpc.channelz.v1.Socket serverSocket(
      ChannelzGrpc.ChannelzBlockingStub channelz, String target) {
    List<io.grpc.channelz.v1.Server> servers = channelz.getServers(
            GetServersRequest.getDefaultInstance()).getServerList().stream()
        .filter(candidate -> candidate.getRef().getName().contains(target)).toList();
    assertEquals(1, servers.size(), servers.toString());
    io.grpc.channelz.v1.Server server = servers.get(0);
    List<SocketRef> sockets = channelz.getServerSockets(GetServerSocketsRequest.newBuilder()
        .setServerId(server.getRef().getServerId()).build()).getSocketRefList();
    assertEquals(1, sockets.size(), sockets.toString());
    return socket(channelz, sockets.get(0));
  }

  /**
   * The one socket of the channel to {@code target}, through its subchannel (the channel may
   * name its target for gRPC's registry: {@code plumb+unix:} for {@code unix:}).
   */
  private static io.grpc.channelz.v1.Socket clientSocket(
      ChannelzGrpc.ChannelzBlockingStub channelz, String target) {
    List<Channel> channels = channelz.getTopChannels(GetTopChannelsRequest.getDefaultInstance())
        .getChannelList().stream()
        .filter(candidate -> candidate.getData().getTarget().contains(target)).toList();
    assertEquals(1, channels.size(), channels.toString());
    Channel channel = channels.get(0);
    assertEquals(1, channel.getSubchannelRefCount(), channel.toString());
    List<SocketRef> sockets = channelz.getSubchannel(GetSubchannelRequest.newBuilder()
        .setSubchannelId(channel.getSubchannelRef(0).getSubchannelId()).build())
        .getSubchannel().getSocketRefList();
    assertEquals(1, sockets.size(), sockets.toString());
    return socket(channelz, sockets.get(0));
  }

  private static io.grpc.channelz.v1.Socket socket(ChannelzGrpc.ChannelzBlockingStub channelz,
      SocketRef ref) {
    return channelz.withDeadlineAfter(10, TimeUnit.SECONDS).getSocket(GetSocketRequest
        .newBuilder().setSocketId(ref.getSocketId()).build()).getSocket();
  }
}
