package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC's own registries find Plumb with no Plumb import in the client code, even with
 * grpc-netty on the class path (it is, through grpc-interop-testing).
 */
@Timeout(30)
class GrpcRegistryTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void grpcNewChannelBuilderReachesAPlumbServer() throws Exception {
    Server server = cleanup.add(ConformanceServerMain.start("tcp://127.0.0.1:0"));
    String target = server.getListenSockets().get(0).toString();
    ManagedChannel channel = cleanup.add(
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build());
    ByteString payload = ByteString.copyFromUtf8("via gRPC's registry");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }
}
