package dev.plumb.rpc.testing;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A standard reflection client, as grpcurl is: grpc-java's {@code grpc.reflection.v1} stub, one
 * question per call.
 */
public final class Reflection {
  private Reflection() {}

  /** The services the server lists, sorted. */
  public static List<String> services(Channel channel) throws Exception {
    return ask(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).sorted().toList();
  }

  /** The name of the .proto file that declares {@code symbol}, as the server describes it. */
  public static String fileDeclaring(Channel channel, String symbol) throws Exception {
    ServerReflectionResponse response = ask(channel,
        ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
    return FileDescriptorProto.parseFrom(
        response.getFileDescriptorResponse().getFileDescriptorProto(0)).getName();
  }

  private static ServerReflectionResponse ask(Channel channel, ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            if (response.hasErrorResponse()) {
              answer.completeExceptionally(Status.fromCodeValue(
                  response.getErrorResponse().getErrorCode())
                  .withDescription(response.getErrorResponse().getErrorMessage())
                  .asRuntimeException());
            }
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new AssertionError("no answer from reflection"));
          }
        });
    requests.onNext(request);
    requests.onCompleted();
    try {
      return answer.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    }
  }
}
