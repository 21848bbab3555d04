package dev.plumb.transport.shm;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC's own registries reach Plumb's shm: servers: the ServiceLoader entries of
 * {@link ShmTransport} and {@link ShmNameResolverProvider}, with the target's options.
 */
@Timeout(30)
class ShmGrpcRegistryTest {
  @TempDir
  Path dir;
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aTargetThroughGrpcsRegistry() throws Exception {
    String target = cleanup.add(ConformanceServerMain.start("shm://" + dir.resolve("registry.sock")
        + "?ringSize=256k")).getListenSockets().get(0).toString();
    ManagedChannel channel = cleanup.add(Grpc.newChannelBuilder(target + "?idle=spin",
        InsecureChannelCredentials.create()).build());
    ByteString payload = ByteString.copyFromUtf8("via gRPC's registry");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }
}
