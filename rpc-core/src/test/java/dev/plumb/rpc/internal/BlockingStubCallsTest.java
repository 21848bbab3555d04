package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The calls of gRPC's generated blocking stubs, and only those, count as blocking: checked on
 * the call options the stubs of the grpc-java on the class path really make, so an upgrade that
 * moves the stub-type key fails here.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BlockingStubCallsTest {
  private final OptionsRecorder channel = new OptionsRecorder();

  @Test
  void aBlockingStubsUnaryAndServerStreamingCallsAreBlocking() {
    ConformanceGrpc.ConformanceBlockingStub stub = ConformanceGrpc.newBlockingStub(channel);
    assertThrows(StatusRuntimeException.class, () -> stub.unary(request()));
    assertThrows(StatusRuntimeException.class, () -> stub.serverStream(request()).hasNext());
    assertEquals(List.of(true, true), channel.blocking);
  }

  @Test
  void asyncAndFutureStubsAreNot() {
    ConformanceGrpc.newStub(channel).unary(request(), new IgnoringObserver<>());
    ConformanceGrpc.newFutureStub(channel).unary(request());
    assertEquals(List.of(false, false), channel.blocking);
  }

  @Test
  void plainCallOptionsAreNot() {
    assertEquals(false, BlockingStubCalls.isBlocking(CallOptions.DEFAULT));
  }

  private static EchoRequest request() {
    return EchoRequest.getDefaultInstance();
  }

  /** A channel that records what each call's options say and fails the call at once. */
  private static final class OptionsRecorder extends Channel {
    final List<Boolean> blocking = new ArrayList<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      blocking.add(BlockingStubCalls.isBlocking(options));
      return new ClientCall<>() {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          listener.onClose(Status.UNAVAILABLE.withDescription("not connected"), new Metadata());
        }

        @Override
        public void request(int numMessages) {}

        @Override
        public void cancel(String message, Throwable cause) {}

        @Override
        public void halfClose() {}

        @Override
        public void sendMessage(ReqT message) {}
      };
    }

    @Override
    public String authority() {
      return "recorder";
    }
  }

  private static final class IgnoringObserver<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
