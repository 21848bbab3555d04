package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;

/** A stdio: server whose every call prints to System.out, as careless services do. */
public final class PrintingServerMain {
  private PrintingServerMain() {}

  public static void main(String[] args) throws Exception {
    ServerInterceptor printing = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          io.grpc.Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        System.out.println("a service printing to stdout: " + call.getMethodDescriptor());
        System.out.flush();
        return next.startCall(call, headers);
      }
    };
    PlumbServerBuilder.forAddress("stdio:")
        .addService(ServerInterceptors.intercept(new ConformanceService(), printing))
        .build().start().awaitTermination();
  }
}
