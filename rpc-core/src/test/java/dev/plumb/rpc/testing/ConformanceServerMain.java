package dev.plumb.rpc.testing;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The conformance server as its own process:
 * {@code ConformanceServerMain LISTEN_ADDRESS [--direct-executor | --executor-threads=N]
 * [--max-concurrent-streams=N] [--handshake-timeout-millis=N] [--max-connections=N]
 * [--max-connections-per-peer=N] [--tls=CHAIN,KEY[,CLIENT_CA]]}. With {@code --direct-executor} the service runs on the
 * transport's threads, as latency-minded applications run it
 * ({@code ServerBuilder.directExecutor()}); with {@code --executor-threads} on a fixed pool, all
 * started at once, so that the process's thread count measures the transport's threads (gRPC's
 * default pool grows with bursts of calls and keeps idle threads for a minute). The others set
 * the server's limits of those names, small ones letting the tests reach them quickly.
 * {@code --tls} listens with TLS: the server's certificate chain and key, as PEM files, and with
 * a third file of CA certificates, mutual TLS (client certificates required and checked against
 * them). Prints
 * {@code READY <bound address>} on stdout once serving. Ends with a graceful shutdown on
 * SIGTERM, and at once when its stdin reaches end-of-file, so a dead test never leaves it behind.
 */
public final class ConformanceServerMain {
  public static final String READY = "READY ";

  private ConformanceServerMain() {}

  public static final String DIRECT_EXECUTOR = "--direct-executor";
  public static final String EXECUTOR_THREADS = "--executor-threads=";
  public static final String MAX_CONCURRENT_STREAMS = "--max-concurrent-streams=";
  public static final String HANDSHAKE_TIMEOUT_MILLIS = "--handshake-timeout-millis=";
  /** Followed by the count: {@code PlumbServerBuilder.maxConnections}. */
  public static final String MAX_CONNECTIONS = "--max-connections=";
  /** Followed by the count: {@code PlumbServerBuilder.maxConnectionsPerPeer}. */
  public static final String MAX_CONNECTIONS_PER_PEER = "--max-connections-per-peer=";
  /** Followed by {@code CHAIN,KEY[,CLIENT_CA]}: PEM files of TLS credentials. */
  public static final String TLS = "--tls=";

  public static Server start(String listenAddress) throws IOException {
    return start(listenAddress, false);
  }

  public static Server start(String listenAddress, boolean directExecutor) throws IOException {
    return start(listenAddress, directExecutor ? List.of(DIRECT_EXECUTOR) : List.of());
  }

  /** Starts a server at {@code listenAddress} with the command line's {@code options}. */
  public static Server start(String listenAddress, List<String> options) throws IOException {
    ConformanceService service = new ConformanceService();
    ServerCredentials credentials = InsecureServerCredentials.create();
    for (String option : options) {
      if (option.startsWith(TLS)) {
        credentials = tls(option.substring(TLS.length()).split(","));
      }
    }
    PlumbServerBuilder builder = PlumbServerBuilder.forAddress(listenAddress, credentials)
        .addService(ServerInterceptors.intercept(service, new EchoMetadataInterceptor()));
    for (String option : options) {
      if (option.startsWith(TLS)) {
        continue;
      } else if (option.equals(DIRECT_EXECUTOR)) {
        builder.directExecutor();
      } else if (option.startsWith(EXECUTOR_THREADS)) {
        builder.executor(fixedPool(Integer.parseInt(option.substring(EXECUTOR_THREADS.length()))));
      } else if (option.startsWith(MAX_CONCURRENT_STREAMS)) {
        builder.maxConcurrentCallsPerConnection(
            Integer.parseInt(option.substring(MAX_CONCURRENT_STREAMS.length())));
      } else if (option.startsWith(HANDSHAKE_TIMEOUT_MILLIS)) {
        builder.handshakeTimeout(
            Long.parseLong(option.substring(HANDSHAKE_TIMEOUT_MILLIS.length())),
            TimeUnit.MILLISECONDS);
      } else if (option.startsWith(MAX_CONNECTIONS)) {
        builder.maxConnections(Integer.parseInt(option.substring(MAX_CONNECTIONS.length())));
      } else if (option.startsWith(MAX_CONNECTIONS_PER_PEER)) {
        builder.maxConnectionsPerPeer(
            Integer.parseInt(option.substring(MAX_CONNECTIONS_PER_PEER.length())));
      } else {
        throw new IllegalArgumentException("unknown option " + option);
      }
    }
    Server server = builder.build();
    service.setServer(server);
    return server.start();
  }

  private static ServerCredentials tls(String[] files) throws IOException {
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
        .keyManager(new File(files[0]), new File(files[1]));
    if (files.length > 2) {
      tls.trustManager(new File(files[2])).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  private static ExecutorService fixedPool(int threads) {
    AtomicInteger next = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), work -> {
          Thread thread = new Thread(work, "conformance-executor-" + next.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.prestartAllCoreThreads();
    return pool;
  }

  public static void main(String[] args) throws Exception {
    Server server = start(args[0], List.of(args).subList(1, args.length));
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
