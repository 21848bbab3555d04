package dev.plumb.transport.unix;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One conformance Unary call on a channel of its own, for tests that only need its outcome. */
public final class UnaryCall {
  private UnaryCall() {}

  /** How one call to {@code target} ends within {@code deadline}; the channel is closed after. */
  public static Status statusOf(String target, Duration deadline) throws InterruptedException {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    try {
      ConformanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("hi")).build());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
