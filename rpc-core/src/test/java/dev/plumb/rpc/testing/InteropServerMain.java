package dev.plumb.rpc.testing;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.testing.integration.AbstractInteropTest;
import io.grpc.testing.integration.TestServiceImpl;
import java.util.concurrent.Executors;

/**
 * grpc-java's interop TestService as its own process, for transports whose client starts the
 * server ({@code pipe:}): {@code InteropServerMain LISTEN_ADDRESS}.
 */
public final class InteropServerMain {
  private InteropServerMain() {}

  public static void main(String[] args) throws Exception {
    Server server = PlumbServerBuilder.forAddress(args[0])
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE)
        .addService(ServerInterceptors.intercept(
            new TestServiceImpl(Executors.newScheduledThreadPool(2)),
            TestServiceImpl.interceptors()))
        .build()
        .start();
    server.awaitTermination();
  }
}
