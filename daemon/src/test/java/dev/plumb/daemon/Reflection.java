package dev.plumb.daemon;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A client of server reflection (v1), as grpcurl's {@code list} is. */
final class Reflection {
  private Reflection() {}

  /** The names of the services the server says it has. */
  static List<String> listServices(Channel channel) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          private final List<String> found = new ArrayList<>();

          @Override
          public void onNext(ServerReflectionResponse response) {
            if (response.hasErrorResponse()) {
              names.completeExceptionally(Status.fromCodeValue(
                  response.getErrorResponse().getErrorCode()).withDescription(
                      response.getErrorResponse().getErrorMessage()).asRuntimeException());
            }
            for (ServiceResponse service : response.getListServicesResponse().getServiceList()) {
              found.add(service.getName());
            }
          }

          @Override
          public void onError(Throwable t) {
            names.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            names.complete(found);
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();
    try {
      return names.get(35, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    }
  }
}
