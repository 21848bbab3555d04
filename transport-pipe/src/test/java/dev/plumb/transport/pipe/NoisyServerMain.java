package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.io.IOException;

/**
 * A stdio: server whose every call writes to stdout the ways a careless process does: through
 * {@code System.out}, from a subprocess started with {@code inheritIO}, and in a thread dump
 * (the subprocess sends this JVM SIGQUIT). The subprocess also says what its stdin is.
 */
public final class NoisyServerMain {
  static final String PRINTED = "noisy: System.out";
  static final String SUBPROCESS = "noisy: subprocess stdout";
  static final String SUBPROCESS_STDIN = "noisy: subprocess stdin is ";
  static final String THREAD_DUMP = "Full thread dump";

  private NoisyServerMain() {}

  public static void main(String[] args) throws Exception {
    ServerInterceptor noisy = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        System.out.println(PRINTED);
        System.out.flush();
        runInheritingIo("echo '" + SUBPROCESS + "'; echo \"" + SUBPROCESS_STDIN
            + "$(readlink /proc/$$/fd/0)\"; kill -QUIT $PPID");
        return next.startCall(call, headers);
      }
    };
    PlumbServerBuilder.forAddress("stdio:")
        .addService(ServerInterceptors.intercept(new ConformanceService(), noisy))
        .build().start().awaitTermination();
  }

  private static void runInheritingIo(String script) {
    try {
      new ProcessBuilder("sh", "-c", script).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
