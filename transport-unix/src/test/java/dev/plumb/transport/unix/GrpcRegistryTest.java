package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC's own registries reach Plumb's unix: servers. grpc-netty is on this class path (through
 * grpc-interop-testing) with a "unix" resolver of its own (priority 3): Plumb's (priority 5)
 * takes the scheme.
 */
@Timeout(30)
class GrpcRegistryTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private void assertReachable(String listen) throws Exception {
    String target = cleanup.add(ConformanceServerMain.start(listen)).getListenSockets().get(0)
        .toString();
    ManagedChannel channel = cleanup.add(
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build());
    ByteString payload = ByteString.copyFromUtf8("via gRPC's registry");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }

  @Test
  void aSocketFileTarget() throws Exception {
    assertReachable("unix://" + dir.resolve("registry.sock"));
  }

  @Test
  void anAbstractTarget() throws Exception {
    assertReachable("unix-abstract:plumb-registry-" + UUID.randomUUID());
  }
}
