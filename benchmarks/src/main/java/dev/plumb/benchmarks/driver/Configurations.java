package dev.plumb.benchmarks.driver;

import dev.plumb.benchmarks.server.ChannelStreams;
import dev.plumb.benchmarks.server.EchoServerMain;
import dev.plumb.benchmarks.server.EchoService;
import dev.plumb.benchmarks.server.ProcessMeter;
import dev.plumb.benchmarks.server.RawEchoMain;
import dev.plumb.benchmarks.server.SharedMemoryLink;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Every configuration the driver measures. Adding a Plumb transport is one line in
 * {@link #rpc(List)} (and its artifact in the module's pom), as for {@code unix:}:
 *
 * <pre>{@code
 * mode -> plumbListening("plumb unix:", Medium.UNIX_SOCKET,
 *     (dir, tag) -> "unix://" + dir.resolve(tag + ".sock"), mode),
 * }</pre>
 *
 * <p>It is then compared with the raw mechanism and the grpc-netty row of its {@link Medium},
 * in each {@link ExecutorMode}. The transfer row ({@link DownloadBenchmark}) runs on the
 * configurations given {@link RpcConfiguration#withDownloads} ways: a shared buffer where
 * Plumb carries one, streamed chunks on the plain Plumb transports and on grpc-netty. Apart
 * from the executors, every configuration uses the library's defaults (windows, frame sizes):
 * what a user gets without tuning.
 */
public final class Configurations {
  /** The configuration every figure is also divided by (in the same executor mode). */
  public static final String REFERENCE = "grpc-netty TCP";
  /** What the TLS rows are divided by instead: grpc-netty with TLS. */
  public static final String REFERENCE_TLS = "grpc-netty TCP tls";
  /** grpc-java's in-process transport: grpc-core's own cost, with no bytes moved. */
  public static final String IN_PROCESS = "grpc in-process";
  /** The latency mode's limit: TCP with both ends busy-polling. */
  public static final String RAW_TCP_POLLING = "raw TCP poll";
  /** The latency mode's limit over a Unix socket: both ends busy-polling. */
  public static final String RAW_UDS_POLLING = "raw UDS poll";

  private Configurations() {}

  /** The reference of a row of {@code medium}: grpc-netty with TLS for TLS rows. */
  public static String referenceFor(Medium medium) {
    return medium == Medium.TCP_TLS ? REFERENCE_TLS : REFERENCE;
  }

  /** Every RPC configuration in both executor modes, Plumb's first. */
  public static List<RpcConfiguration> rpc() {
    return rpc(List.of(ExecutorMode.values()));
  }

  /**
   * Every RPC configuration in each of {@code modes}, Plumb's first; a configuration's rows
   * follow each other, so the report shows its modes side by side.
   */
  public static List<RpcConfiguration> rpc(List<ExecutorMode> modes) {
    List<Function<ExecutorMode, RpcConfiguration>> all = List.of(
        mode -> plumbListening("plumb tcp:", Medium.TCP, (dir, tag) -> "tcp://127.0.0.1:0",
            mode).withDownloads(DownloadWay.SHARED_BUFFER, DownloadWay.CHUNKS),
        mode -> plumbListening("plumb tcp: poll", Medium.TCP,
            (dir, tag) -> "tcp://127.0.0.1:0?idle=poll", "?idle=poll", mode),
        mode -> plumbListening("plumb unix:", Medium.UNIX_SOCKET,
            (dir, tag) -> "unix://" + dir.resolve(tag + ".sock"), mode)
            .withDownloads(DownloadWay.SHARED_BUFFER, DownloadWay.CHUNKS),
        mode -> plumbListening("plumb unix: poll", Medium.UNIX_SOCKET,
            (dir, tag) -> "unix://" + dir.resolve(tag + ".sock") + "?idle=poll", "?idle=poll",
            mode),
        mode -> plumbListening("plumb shm:", Medium.SHARED_MEMORY,
            (dir, tag) -> "shm://" + dir.resolve(tag + ".sock"), mode)
            .withDownloads(DownloadWay.SHARED_BUFFER, DownloadWay.CHUNKS),
        mode -> plumbSpawning("plumb pipe:", Medium.PIPE, "stdio:",
            command -> "pipe:" + command, mode).withDownloads(DownloadWay.CHUNKS),
        mode -> plumbSpawning("plumb pipe: poll", Medium.PIPE, "stdio:?idle=poll",
            command -> "pipe:" + command + "#idle=poll", mode),
        Configurations::plumbTcpTls,
        mode -> grpcNettyTcp(mode).withDownloads(DownloadWay.CHUNKS),
        Configurations::grpcNettyTcpTls,
        mode -> grpcNettyUnixSocket(mode).withDownloads(DownloadWay.CHUNKS),
        Configurations::grpcInProcess);
    List<RpcConfiguration> configurations = new ArrayList<>();
    for (Function<ExecutorMode, RpcConfiguration> configuration : all) {
      for (ExecutorMode mode : modes) {
        configurations.add(configuration.apply(mode));
      }
    }
    return configurations;
  }

  /** Raw mechanisms, one per medium. */
  public static List<RawConfiguration> raw() {
    return List.of(rawTcp(), rawTcpPolling(), rawUnixSocket(), rawUnixSocketPolling(), rawPipe(),
        rawSharedMemory());
  }

  /** A Plumb server in a JVM of its own, listening at an address; the client connects to it. */
  public static RpcConfiguration plumbListening(String name, Medium medium,
      ListenAddress listenAddress, ExecutorMode mode) {
    return plumbListening(name, medium, listenAddress, "", mode);
  }

  /**
   * A Plumb server in a JVM of its own; the client's target is the address it reports followed
   * by {@code clientOptions} (e.g. {@code ?idle=poll}: a server reports its address without
   * the options it listens with).
   */
  public static RpcConfiguration plumbListening(String name, Medium medium,
      ListenAddress listenAddress, String clientOptions, ExecutorMode mode) {
    return new RpcConfiguration(name, medium, mode, (dir, tag) -> {
      ServerProcess server = ServerJvm.listening(EchoServerMain.class, "plumb",
          listenAddress.at(dir, tag), mode.label());
      return endpoint(mode.apply(PlumbChannelBuilder.forTarget(server.address()
          + clientOptions)).build(), server, null);
    });
  }

  /**
   * A Plumb server that the channel itself starts (pipe:): the target is made from the quoted
   * command line of a server JVM listening on {@code listenAddress} ({@code stdio:}, with or
   * without options).
   */
  public static RpcConfiguration plumbSpawning(String name, Medium medium, String listenAddress,
      Function<String, String> targetForCommand, ExecutorMode mode) {
    return new RpcConfiguration(name, medium, mode, (dir, tag) -> endpoint(
        mode.apply(PlumbChannelBuilder.forTarget(targetForCommand.apply(ServerJvm.commandLine(
            EchoServerMain.class, "plumb", listenAddress, mode.label()))))
            .build(), null, null));
  }

  /**
   * {@code tcp:} with TLS: the server presents a certificate of a CA made for the repetition,
   * which the client trusts; no client certificate. The JDK's TLS on both ends, as in
   * {@link #grpcNettyTcpTls}, which it is compared with.
   */
  public static RpcConfiguration plumbTcpTls(ExecutorMode mode) {
    return new RpcConfiguration("plumb tcp: tls", Medium.TCP_TLS, mode, (dir, tag) -> {
      BenchmarkTls tls = BenchmarkTls.create(dir, tag);
      ServerProcess server = ServerJvm.listening(EchoServerMain.class, "plumb",
          "tcp://127.0.0.1:0", mode.label(), tls.certificateChain(), tls.privateKey());
      return endpoint(mode.apply(PlumbChannelBuilder.forTarget(server.address(),
          tls.channelCredentials())).build(), server, null);
    });
  }

  public static RpcConfiguration grpcNettyTcp(ExecutorMode mode) {
    return grpcNettyTcp(REFERENCE, Medium.TCP, mode, false);
  }

  /** grpc-netty with TLS as {@link #plumbTcpTls} has it (and ALPN, which HTTP/2 needs). */
  public static RpcConfiguration grpcNettyTcpTls(ExecutorMode mode) {
    return grpcNettyTcp(REFERENCE_TLS, Medium.TCP_TLS, mode, true);
  }

  private static RpcConfiguration grpcNettyTcp(String name, Medium medium, ExecutorMode mode,
      boolean withTls) {
    return new RpcConfiguration(name, medium, mode, (dir, tag) -> {
      BenchmarkTls tls = withTls ? BenchmarkTls.create(dir, tag) : null;
      List<String> args = new ArrayList<>(List.of("grpc-netty-tcp", "127.0.0.1", mode.label()));
      if (tls != null) {
        args.addAll(List.of(tls.certificateChain(), tls.privateKey()));
      }
      ServerProcess server = ServerJvm.listening(EchoServerMain.class,
          args.toArray(String[]::new));
      String address = server.address();
      int colon = address.lastIndexOf(':');
      InetSocketAddress socket = new InetSocketAddress(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1)));
      ManagedChannel channel = mode.apply(tls != null
          ? NettyChannelBuilder.forAddress(socket, tls.channelCredentials())
          : NettyChannelBuilder.forAddress(socket).usePlaintext()).build();
      return endpoint(channel, server, null);
    });
  }

  public static RpcConfiguration grpcNettyUnixSocket(ExecutorMode mode) {
    return new RpcConfiguration("grpc-netty UDS", Medium.UNIX_SOCKET, mode,
        (dir, tag) -> {
          ServerProcess server = ServerJvm.listening(EchoServerMain.class,
              "grpc-netty-uds", dir.resolve(tag + ".sock").toString(), mode.label());
          EpollEventLoopGroup group = new EpollEventLoopGroup(1);
          ManagedChannel channel = mode.apply(NettyChannelBuilder.forAddress(
                  new DomainSocketAddress(server.address())))
              .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
              .eventLoopGroup(group)
              .usePlaintext().build();
          return endpoint(channel, server,
              () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        });
  }

  /** grpc-java's in-process transport: client and server in this JVM, no bytes at all. */
  public static RpcConfiguration grpcInProcess(ExecutorMode mode) {
    return new RpcConfiguration(IN_PROCESS, Medium.IN_PROCESS, mode, (dir, tag) -> {
      String name = "plumb-bench-" + tag;
      Server server = mode.apply(InProcessServerBuilder.forName(name))
          .addService(new EchoService()).build().start();
      ManagedChannel channel = mode.apply(InProcessChannelBuilder.forName(name)).build();
      return new RpcConfiguration.Endpoint() {
        @Override
        public ManagedChannel channel() {
          return channel;
        }

        @Override
        public boolean serverInThisJvm() {
          return true;
        }

        @Override
        public void close() {
          shutdown(channel);
          server.shutdownNow();
        }
      };
    });
  }

  public static RawConfiguration rawTcp() {
    return new RawConfiguration("raw TCP", Medium.TCP, rawTcpOpener(false));
  }

  /**
   * TCP with both ends busy-polling non-blocking sockets: the limit of a latency mode. Its idle
   * window is not measured (its ends spin for ever: a core each).
   */
  public static RawConfiguration rawTcpPolling() {
    return new RawConfiguration(RAW_TCP_POLLING, Medium.TCP, rawTcpOpener(true));
  }

  private static RawConfiguration.Opener rawTcpOpener(boolean poll) {
    return (dir, tag) -> {
      ServerProcess server = ServerJvm.listening(RawEchoMain.class, poll ? "tcp-poll" : "tcp",
          "127.0.0.1");
      String address = server.address();
      int colon = address.lastIndexOf(':');
      SocketChannel channel = SocketChannel.open(new InetSocketAddress(
          address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
      channel.socket().setTcpNoDelay(true);
      channel.configureBlocking(!poll);
      return socketLink(channel, server);
    };
  }

  public static RawConfiguration rawUnixSocket() {
    return new RawConfiguration("raw UDS", Medium.UNIX_SOCKET, rawUnixSocketOpener(false));
  }

  /**
   * A Unix socket with both ends busy-polling non-blocking channels: the limit of {@code unix:}'s
   * latency mode. Its idle window is not measured, as for {@link #rawTcpPolling}.
   */
  public static RawConfiguration rawUnixSocketPolling() {
    return new RawConfiguration(RAW_UDS_POLLING, Medium.UNIX_SOCKET, rawUnixSocketOpener(true));
  }

  private static RawConfiguration.Opener rawUnixSocketOpener(boolean poll) {
    return (dir, tag) -> {
      ServerProcess server = ServerJvm.listening(RawEchoMain.class, poll ? "uds-poll" : "uds",
          dir.resolve(tag + ".sock").toString());
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(server.address()));
      channel.configureBlocking(!poll);
      return socketLink(channel, server);
    };
  }

  public static RawConfiguration rawPipe() {
    return new RawConfiguration("raw pipe", Medium.PIPE, (dir, tag) -> {
      ServerProcess server = ServerJvm.piped(RawEchoMain.class, "pipe");
      return link(server.stdout(), server.stdin(), server, () -> { });
    });
  }

  /**
   * Two JVMs, two byte rings in one mapped file (in {@code /dev/shm}), both ends polling
   * ({@link dev.plumb.benchmarks.server.ByteRing}): the limit of {@code shm:}. The file is
   * unlinked by the server once it has mapped it, and here in any case.
   */
  public static RawConfiguration rawSharedMemory() {
    return new RawConfiguration("raw shm", Medium.SHARED_MEMORY, true, (dir, tag) -> {
      Path file = SharedMemoryLink.newFile(dir, tag);
      try {
        SharedMemoryLink shm = SharedMemoryLink.create(file);
        ServerProcess server = ServerJvm.listening(RawEchoMain.class,
            "shm", file.toString());
        return link(shm.clientIn(), shm.clientOut(), server, shm::close);
      } finally {
        Files.deleteIfExists(file);
      }
    });
  }

  /** Where a Plumb server listens, given a private directory and a unique tag. */
  @FunctionalInterface
  public interface ListenAddress {
    String at(Path dir, String tag);
  }

  private static RawConfiguration.Link socketLink(SocketChannel channel, ServerProcess server) {
    return link(ChannelStreams.in(channel), ChannelStreams.out(channel), server, () -> {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    });
  }

  private static RawConfiguration.Link link(InputStream in, OutputStream out,
      ServerProcess server, Runnable closeStreams) {
    return new RawConfiguration.Link() {
      @Override
      public InputStream in() {
        return in;
      }

      @Override
      public OutputStream out() {
        return out;
      }

      @Override
      public long serverPid() {
        return server.pid();
      }

      @Override
      public long serverCpuNanos() {
        return server.toHandle().info().totalCpuDuration().map(Duration::toNanos)
            .orElse(-1L);
      }

      @Override
      public long serverContextSwitches() {
        return ProcessMeter.voluntaryContextSwitches(server.pid());
      }

      @Override
      public void close() {
        closeStreams.run();
        server.close();
      }
    };
  }

  private static RpcConfiguration.Endpoint endpoint(ManagedChannel channel,
      ServerProcess server, Runnable afterChannel) {
    return new RpcConfiguration.Endpoint() {
      @Override
      public ManagedChannel channel() {
        return channel;
      }

      @Override
      public boolean serverInThisJvm() {
        return false;
      }

      @Override
      public void close() {
        shutdown(channel);
        if (afterChannel != null) {
          afterChannel.run();
        }
        if (server != null) {
          server.close();
        }
      }
    };
  }

  static void shutdown(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
