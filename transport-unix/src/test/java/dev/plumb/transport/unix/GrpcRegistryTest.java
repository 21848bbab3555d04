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
 * gRPC's own registries reach Plumb's unix: servers under the names Plumb registers there:
 * {@code plumb+unix:} for a socket file (gRPC's {@code unix:} is HTTP/2's, grpc-netty's, which
 * is on this class path through grpc-interop-testing) and {@code unix-abstract:}.
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

  private void assertReachable(String listen, String registryPrefix) throws Exception {
    String target = registryPrefix + cleanup.add(ConformanceServerMain.start(listen))
        .getListenSockets().get(0);
    ManagedChannel channel = cleanup.add(
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build());
    ByteString payload = ByteString.copyFromUtf8("via gRPC's registry");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }

  @Test
  void aSocketFileTarget() throws Exception {
    assertReachable("unix://" + dir.resolve("registry.sock"), "plumb+");
  }

  @Test
  void anAbstractTarget() throws Exception {
    assertReachable("unix-abstract:plumb-registry-" + UUID.randomUUID(), "");
  }
}
