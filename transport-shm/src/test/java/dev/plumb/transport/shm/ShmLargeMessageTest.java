package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB message each way through rings of 1 MiB (the default): the core cuts it into frames
 * of the peer's max frame size, each one ring record, and the ring's back-pressure paces the
 * sender; every byte is compared.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShmLargeMessageTest {
  private static final int SIZE = 64 * 1024 * 1024;

  @TempDir
  Path sockets;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void sixtyFourMebibytesThroughAOneMebibyteRing() throws Exception {
    String address = "shm://" + sockets.resolve("large.sock");
    ConformanceService service = new ConformanceService();
    Server server = cleanup.add(PlumbServerBuilder.forAddress(address)
        .addService(service)
        .maxInboundMessageSize(SIZE + 1024)
        .build().start());
    service.setServer(server);
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address)
        .maxInboundMessageSize(SIZE + 1024)
        .build());
    byte[] bytes = new byte[SIZE];
    new Random(7).nextBytes(bytes);
    ByteString payload = ByteString.copyFrom(bytes);
    EchoResponse response = ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(100, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build());
    assertEquals(SIZE, response.getPayload().size());
    assertEquals(payload, response.getPayload());
  }
}
