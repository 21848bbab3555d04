package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceServerMain;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC's own registry reaches a pipe: child from a target written as a command line, blanks and
 * all, which is not a URI: gRPC would give it to its default scheme's transport (grpc-netty is on
 * this class path, through grpc-interop-testing) if Plumb's channel provider did not take it
 * first.
 */
@Timeout(60)
class PipeGrpcRegistryTest {
  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void aCommandLineTargetAsTyped() throws Exception {
    String target = "pipe:" + ChildJvm.commandLine(ConformanceServerMain.class, "stdio:");
    assertTrue(target.contains(" "), target);
    ManagedChannel channel = cleanup.add(Grpc.newChannelBuilder(target,
        InsecureChannelCredentials.create()).build());
    ByteString payload = ByteString.copyFromUtf8("via gRPC's registry");
    assertEquals(payload, ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
  }
}
