package dev.plumb.rpc.testing;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The conformance server as its own process:
 * {@code ConformanceServerMain LISTEN_ADDRESS [--direct-executor]}. With
 * {@code --direct-executor} the service runs on the transport's threads, as latency-minded
 * applications run it ({@code ServerBuilder.directExecutor()}). Prints {@code READY <bound address>} on stdout once serving. Ends with a graceful shutdown on
 * SIGTERM, and at once when its stdin reaches end-of-file, so a dead test never leaves it behind.
 */
public final class ConformanceServerMain {
  public static final String READY = "READY ";

  private ConformanceServerMain() {}

  public static final String DIRECT_EXECUTOR = "--direct-executor";

  public static Server start(String listenAddress) throws IOException {
    return start(listenAddress, false);
  }

  public static Server start(String listenAddress, boolean directExecutor) throws IOException {
    ConformanceService service = new ConformanceService();
    PlumbServerBuilder builder = PlumbServerBuilder.forAddress(listenAddress)
        .addService(ServerInterceptors.intercept(service, new EchoMetadataInterceptor()));
    if (directExecutor) {
      builder.directExecutor();
    }
    Server server = builder.build();
    service.setServer(server);
    return server.start();
  }

  public static void main(String[] args) throws Exception {
    Server server = start(args[0], List.of(args).contains(DIRECT_EXECUTOR));
    if (args[0].startsWith("stdio:")) {
      // Started by a pipe: client; stdin and stdout carry the protocol, and the transport
      // ends this process when the parent closes stdin.
      server.awaitTermination();
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (server.isTerminated()) {
        return;
      }
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
    // Ends on the parent's death (stdin EOF) or when the server stops (Shutdown RPC).
    Thread watcher = new Thread(() -> {
      try {
        InputStream stdin = System.in;
        while (stdin.read() >= 0) {
          // The parent never writes; end-of-file means it is gone.
        }
      } catch (IOException e) {
        // Treated as end-of-file.
      }
      server.shutdownNow();
    }, "parent-watcher");
    watcher.setDaemon(true);
    watcher.start();
    server.awaitTermination();
    System.exit(0);
  }
}
