package dev.plumb.rpc.testing;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * The conformance server as its own process: {@code ConformanceServerMain LISTEN_ADDRESS}.
 * Prints {@code READY <bound address>} on stdout once serving. Ends with a graceful shutdown on
 * SIGTERM, and at once when its stdin reaches end-of-file, so a dead test never leaves it behind.
 */
public final class ConformanceServerMain {
  public static final String READY = "READY ";

  private ConformanceServerMain() {}

  public static Server start(String listenAddress) throws IOException {
    return PlumbServerBuilder.forAddress(listenAddress)
        .addService(ServerInterceptors.intercept(
            new ConformanceService(), new EchoMetadataInterceptor()))
        .build()
        .start();
  }

  public static void main(String[] args) throws Exception {
    Server server = start(args[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      try {
        if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
      }
    }));
    System.out.println(READY + server.getListenSockets().get(0));
    System.out.flush();
    InputStream stdin = System.in;
    while (stdin.read() >= 0) {
      // The parent never writes; end-of-file means it is gone.
    }
    server.shutdownNow();
    System.exit(0);
  }
}
