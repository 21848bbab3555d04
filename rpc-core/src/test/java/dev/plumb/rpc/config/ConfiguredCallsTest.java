package dev.plumb.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The configuration reaches real channels and servers: addresses and limits take effect. */
@Timeout(30)
class ConfiguredCallsTest {
  @TempDir
  Path directory;

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void tearDown() throws Exception {
    cleanup.close();
  }

  private Server startServer(Sources sources) throws Exception {
    return cleanup.add(sources.load().serverBuilder()
        .addService(new ConformanceService())
        .build().start());
  }

  private ConformanceGrpc.ConformanceBlockingStub client(Sources sources) {
    ManagedChannel channel = cleanup.add(sources.load().channelBuilder().build());
    return ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static EchoRequest echo(int payloadBytes, int responseBytes) {
    return EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[payloadBytes]))
        .setResponseSize(responseBytes).build();
  }

  @Test
  void aServerListensOnEveryConfiguredAddressWithItsMessageLimit() throws Exception {
    Sources server = new Sources(directory);
    server.environment.put("PLUMB_LISTEN", "mem:configured-a,mem:configured-b");
    server.classPathFile("plumb.maxInboundMessageSize=1k");
    startServer(server);

    for (String address : new String[] {"mem:configured-a", "mem:configured-b"}) {
      Sources client = new Sources(directory.resolve(address.substring(4)));
      client.systemProperties.setProperty("plumb.target", address);
      ConformanceGrpc.ConformanceBlockingStub stub = client(client);
      assertEquals(100, stub.unary(echo(100, 100)).getPayload().size());
      StatusRuntimeException tooLarge =
          assertThrows(StatusRuntimeException.class, () -> stub.unary(echo(4096, 100)));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode(),
          tooLarge.getStatus().toString());
    }
  }

  @Test
  void aChannelTakesItsTargetAndMessageLimitFromConfiguration() throws Exception {
    Sources server = new Sources(directory.resolve("server"));
    server.systemProperties.setProperty("plumb.listen", "mem:configured-c");
    startServer(server);

    Sources client = new Sources(directory.resolve("client"));
    client.environment.put("PLUMB_TARGET", "mem:configured-c");
    client.environment.put("PLUMB_MAX_INBOUND_MESSAGE_SIZE", "2k");
    ConformanceGrpc.ConformanceBlockingStub stub = client(client);
    assertEquals(1000, stub.unary(echo(1, 1000)).getPayload().size());
    StatusRuntimeException tooLarge =
        assertThrows(StatusRuntimeException.class, () -> stub.unary(echo(1, 8192)));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode(),
        tooLarge.getStatus().toString());
    assertTrue(tooLarge.getStatus().getDescription() != null);
  }

  @Test
  void anOptionSetOnTheBuilderOverridesTheConfiguration() throws Exception {
    Sources server = new Sources(directory.resolve("server"));
    server.systemProperties.setProperty("plumb.listen", "mem:configured-d");
    startServer(server);

    Sources client = new Sources(directory.resolve("client"));
    client.environment.put("PLUMB_TARGET", "mem:configured-d");
    client.environment.put("PLUMB_MAX_INBOUND_MESSAGE_SIZE", "1k");
    ManagedChannel channel = cleanup.add(client.load().channelBuilder()
        .maxInboundMessageSize(64 * 1024).build());
    assertEquals(8192, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).unary(echo(1, 8192)).getPayload().size());
  }

  @Test
  void aServerTakesItsConnectionLimitsFromConfiguration() throws Exception {
    Sources server = new Sources(directory.resolve("server"));
    server.systemProperties.setProperty("plumb.listen", "mem:configured-e");
    server.environment.put("PLUMB_MAX_CONNECTIONS", "1");
    startServer(server);

    Sources client = new Sources(directory.resolve("client"));
    client.environment.put("PLUMB_TARGET", "mem:configured-e");
    assertEquals(1, client(client).unary(echo(1, 1)).getPayload().size());
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> client(client).unary(echo(1, 1)));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(),
        refused.getStatus().toString());
    assertTrue(refused.getStatus().getDescription().endsWith("the connection was refused:"
        + " RESOURCE_EXHAUSTED: the server is at its connection limit (maxConnections=1)"),
        refused.getStatus().toString());
  }

  @Test
  void aServerTakesItsPerPeerLimitFromConfiguration() throws Exception {
    // A TCP test transport: the peer is the client's IP address.
    Sources server = new Sources(directory.resolve("server"));
    server.systemProperties.setProperty("plumb.listen", "stream-test://127.0.0.1:0");
    server.classPathFile("plumb.maxConnectionsPerPeer=1");
    String target = startServer(server).getListenSockets().get(0).toString();

    Sources client = new Sources(directory.resolve("client"));
    client.environment.put("PLUMB_TARGET", target);
    assertEquals(1, client(client).unary(echo(1, 1)).getPayload().size());
    StatusRuntimeException refused =
        assertThrows(StatusRuntimeException.class, () -> client(client).unary(echo(1, 1)));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(),
        refused.getStatus().toString());
    assertTrue(refused.getStatus().getDescription().endsWith("the connection was refused:"
        + " RESOURCE_EXHAUSTED: 127.0.0.1 is at its connection limit on this server"
        + " (maxConnectionsPerPeer=1)"), refused.getStatus().toString());
  }
}
