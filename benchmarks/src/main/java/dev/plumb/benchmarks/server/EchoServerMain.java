package dev.plumb.benchmarks.server;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark server ({@link EchoService} and {@link DownloadService}) as a process of its
 * own. Usage:
 *
 * <pre>
 *   EchoServerMain plumb URI EXECUTOR [CHAIN KEY]            a Plumb server, e.g. tcp://127.0.0.1:0, or stdio: for pipe:
 *   EchoServerMain grpc-netty-tcp HOST EXECUTOR [CHAIN KEY]  grpc-netty on HOST, a free port
 *   EchoServerMain grpc-netty-uds PATH EXECUTOR              grpc-netty on a Unix domain socket (epoll)
 * </pre>
 *
 * <p>{@code EXECUTOR} is {@code direct}, to run the service on the transport's thread
 * ({@code directExecutor()}), or {@code default}, for gRPC's default executor (a thread
 * pool); the driver gives its client the same. {@code CHAIN KEY}, PEM files of a certificate
 * chain and its key, make the server listen with TLS.
 *
 * <p>Except on {@code stdio:}, it prints one line, {@code READY <address>}, on stdout once it
 * serves, and exits when its stdin ends, so it never outlives the driver. On {@code stdio:} the
 * stdin and stdout carry the protocol, nothing is printed, and the pipe: transport ends the
 * process when stdin ends. Logs go to stderr.
 */
public final class EchoServerMain {
  public static final String READY = "READY ";

  private EchoServerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if ((args.length != 3 && args.length != 5) || !List.of("direct", "default").contains(args[2])) {
      usage("expected KIND ADDRESS direct|default [CHAIN KEY], got " + Arrays.toString(args));
    }
    String kind = args[0];
    String where = args[1];
    boolean direct = args[2].equals("direct");
    ServerCredentials credentials = args.length == 5
        ? TlsServerCredentials.create(new File(args[3]), new File(args[4]))
        : InsecureServerCredentials.create();
    Server server;
    String address;
    switch (kind) {
      case "plumb":
        server = services(executor(PlumbServerBuilder.forAddress(where, credentials), direct))
            .build().start();
        if (where.startsWith("stdio:")) {
          // The pipe: transport exits this process when its stdin ends.
          server.awaitTermination();
          return;
        }
        address = server.getListenSockets().get(0).toString();
        break;
      case "grpc-netty-tcp": {
        server = services(executor(NettyServerBuilder.forAddress(
            new InetSocketAddress(where, 0), credentials), direct)).build().start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
        address = where + ":" + bound.getPort();
        break;
      }
      case "grpc-netty-uds":
        server = services(executor(NettyServerBuilder.forAddress(new DomainSocketAddress(where)),
            direct)
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(new EpollEventLoopGroup(1))
            .workerEventLoopGroup(new EpollEventLoopGroup())).build().start();
        address = where;
        break;
      default:
        usage("unknown kind '" + kind + "'");
        return;
    }
    System.out.println(READY + address);
    System.out.flush();
    awaitEndOfInput(System.in);
    server.shutdownNow();
    System.exit(0);
  }

  private static <T extends ServerBuilder<T>> T executor(T builder, boolean direct) {
    return direct ? builder.directExecutor() : builder;
  }

  /** The services every server offers: the echo rows' and the transfer row's. */
  private static <T extends ServerBuilder<T>> T services(T builder) {
    return builder.addService(new EchoService()).addService(new DownloadService());
  }

  /** Returns when {@code in} ends or fails: the parent closed it or is gone. */
  static void awaitEndOfInput(InputStream in) {
    byte[] discard = new byte[64];
    try {
      while (in.read(discard) >= 0) {
        // Only the end matters.
      }
    } catch (IOException e) {
      // Treated as the end.
    }
  }

  private static void usage(String problem) {
    System.err.println("EchoServerMain: " + problem + "\nusage: EchoServerMain plumb URI"
        + " | grpc-netty-tcp HOST | grpc-netty-uds PATH, each followed by direct or default"
        + " (and for plumb and grpc-netty-tcp, optionally by a TLS certificate chain and key)");
    System.exit(2);
  }
}
