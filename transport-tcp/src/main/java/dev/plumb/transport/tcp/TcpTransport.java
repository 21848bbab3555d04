package dev.plumb.transport.tcp;

import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.kit.UriOptions;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.rpc.spi.TlsSupport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tcp://host:port}: the Plumb protocol over TCP with Netty, epoll where the platform has
 * it and NIO otherwise. Sockets use TCP_NODELAY (the core batches writes itself). A server binds
 * exactly the host it is given; {@code 127.0.0.1} or {@code localhost} keeps it on loopback,
 * {@code 0.0.0.0} opens it to the network. One event-loop group, sized to the cores, serves
 * every channel and server in the process; its threads are daemons.
 *
 * <p>One option, {@code idle}: {@code block} (the default) blocks an idle event loop in epoll;
 * {@code poll}, the latency mode, serves the address from a second group whose loops poll for a
 * while after each burst of work before they block ({@link PollingSelectStrategy}). Each side
 * chooses for its own loops: a client's target and a server's listen address carry it apart.
 *
 * <p>TLS, when the channel or server is given gRPC's TLS credentials: {@link TcpTls}.
 */
public final class TcpTransport implements PlumbTransport {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
  /**
   * The query key of an adopted socket's address ({@link #adopt}), which {@link #listen} reads
   * and {@link #parse} refuses: {@code fd:N} is how an application names a descriptor.
   */
  private static final String INHERITED_FD = "fd";

  @Override
  public Set<String> schemes() {
    return Set.of("tcp");
  }

  /** A target may list several hosts, and each host is looked up (docs/TRANSPORTS.md). */
  @Override
  public boolean hostPortAddresses() {
    return true;
  }

  @Override
  public PlumbAddress parse(URI uri) {
    String form = "expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:7000";
    if (uri.isOpaque() || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + uri + "' names no host; " + form);
    }
    if (uri.getPort() < 0) {
      throw new IllegalArgumentException("'" + uri + "' names no port; " + form);
    }
    IdleMode idle = IdleMode.parse(UriOptions.parse(uri.getRawQuery(), true, uri.toString(),
        List.of(IdleMode.KEY)).get(IdleMode.KEY), uri.toString());
    if ((uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
        || "".equals(uri.getRawQuery()) || uri.getFragment() != null
        || uri.getUserInfo() != null) {
      throw new IllegalArgumentException("'" + uri + "' has parts a tcp: address does not take"
          + " (path, empty query, fragment or user); " + form);
    }
    return new PlumbAddress(URI.create("tcp://" + uri.getRawAuthority()
        + (idle == IdleMode.BLOCK ? "" : "?" + idle.option())));
  }

  /** The event loops of an address's {@code idle} option: how a loop with nothing to do waits. */
  private static EventLoopGroup group(PlumbAddress address) {
    return IdleMode.of(address) == IdleMode.POLL ? PollingEventLoops.GROUP : EventLoops.GROUP;
  }

  private final TcpTls tls = new TcpTls(this);

  /** TLS with Netty's {@code SslHandler} ({@link TcpTls}). */
  @Override
  public Optional<TlsSupport> tls() {
    return Optional.of(tls);
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    return connect(address, LinkSetup.PLAINTEXT);
  }

  /** Connects with {@code setup}'s handlers ahead of the connection (TLS, or none). */
  CompletableFuture<Connection> connect(PlumbAddress address, LinkSetup setup) {
    URI uri = address.uri();
    CompletableFuture<Connection> result = new CompletableFuture<>();
    Bootstrap bootstrap = new Bootstrap()
        .group(group(address))
        .channel(EventLoops.SOCKET_CHANNEL)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {}
        });
    ChannelFuture connect = bootstrap.connect(uri.getHost(), uri.getPort());
    connect.addListener(done -> {
      if (!done.isSuccess()) {
        result.completeExceptionally(new IOException(
            "TCP connect to " + uri.getHost() + ":" + uri.getPort() + " failed: "
                + done.cause().getMessage(), done.cause()));
        return;
      }
      Channel channel = connect.channel();
      NettyConnection connection = new NettyConnection(channel);
      setup.install(channel, connection);
      channel.pipeline().addLast(connection);
      if (!result.complete(connection)) {
        channel.close();
      }
    });
    result.whenComplete((connection, error) -> {
      if (result.isCancelled()) {
        connect.cancel(false);
        connect.channel().close();
      }
    });
    return result;
  }

  /**
   * Takes an inherited descriptor if it is a TCP socket that listens: its address is
   * {@code tcp://HOST:PORT?fd=N}, where it is bound. Only with the epoll transport, which can
   * serve a socket it did not open (NIO cannot); without it, no descriptor is taken. The one
   * option is {@code idle}, as a listen address takes it.
   */
  @Override
  public Optional<PlumbAddress> adopt(int fd, String options) {
    if (!EventLoops.EPOLL) {
      log.debug("descriptor {}: an inherited TCP socket needs Netty's epoll, unavailable: {}",
          fd, Epoll.unavailabilityCause().toString());
      return Optional.empty();
    }
    Optional<InetSocketAddress> bound = InheritedTcpSocket.boundAddress(fd);
    if (bound.isEmpty()) {
      return Optional.empty();
    }
    String given = "fd:" + fd + (options == null ? "" : "?" + options);
    IdleMode idle = IdleMode.parse(UriOptions.parse(options, true, given,
        List.of(IdleMode.KEY)).get(IdleMode.KEY), given);
    InetSocketAddress local = bound.get();
    return Optional.of(new PlumbAddress(URI.create("tcp://"
        + hostPart(local.getAddress().getHostAddress()) + ":" + local.getPort()
        + "?" + INHERITED_FD + "=" + fd + (idle == IdleMode.BLOCK ? "" : "&" + idle.option()))));
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    return listen(address, onAccept, LinkSetup.PLAINTEXT);
  }

  /** Listens with {@code setup}'s handlers ahead of each accepted connection (TLS, or none). */
  Listener listen(PlumbAddress address, Consumer<Connection> onAccept, LinkSetup setup)
      throws IOException {
    URI uri = address.uri();
    String inherited = UriOptions.parse(uri.getRawQuery(), true, uri.toString(),
        List.of(IdleMode.KEY, INHERITED_FD)).get(INHERITED_FD);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group(address))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            NettyConnection connection = new NettyConnection(channel);
            setup.install(channel, connection);
            channel.pipeline().addLast(connection);
            onAccept.accept(connection);
          }
        });
    ChannelFuture bind;
    if (inherited == null) {
      bind = bootstrap.channel(EventLoops.SERVER_CHANNEL).bind(uri.getHost(), uri.getPort());
    } else {
      // Already bound and listening: registering it with an event loop starts the accepts. It
      // may be in blocking mode (systemd's are, unless NonBlocking=yes), and Netty has no call
      // to change that; so its loop accepts once per readiness, level-triggered: the kernel
      // says it is readable only while a connection waits, and accept never blocks the loop.
      int fd = Integer.parseInt(inherited);
      bind = bootstrap.channelFactory(() -> new EpollServerSocketChannel(fd))
          .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1))
          .register();
    }
    bind.awaitUninterruptibly();
    if (!bind.isSuccess()) {
      throw new IOException("cannot listen on " + address + ": " + bind.cause().getMessage(),
          bind.cause());
    }
    return new TcpListener(bind.channel(), uri.getHost());
  }

  private static final class TcpListener implements Listener {
    private final Channel channel;
    private final PlumbAddress bound;

    TcpListener(Channel channel, String host) {
      this.channel = channel;
      InetSocketAddress local = (InetSocketAddress) channel.localAddress();
      this.bound = new PlumbAddress(URI.create("tcp://" + hostPart(host) + ":"
          + local.getPort()));
    }

    @Override
    public PlumbAddress boundAddress() {
      return bound;
    }

    @Override
    public SocketAddress localSocketAddress() {
      return channel.localAddress();
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
    }
  }

  /** A host as a URI's authority holds it: an IPv6 address in brackets. */
  private static String hostPart(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The process-wide event loops, created when the first TCP channel or server needs them. */
  private static final class EventLoops {
    static final boolean EPOLL = Epoll.isAvailable();
    static final EventLoopGroup GROUP = EPOLL
        ? new EpollEventLoopGroup(0, new DefaultThreadFactory("plumb-tcp", true))
        : new NioEventLoopGroup(0, new DefaultThreadFactory("plumb-tcp", true));
    static final Class<? extends Channel> SOCKET_CHANNEL =
        EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    static final Class<? extends ServerChannel> SERVER_CHANNEL =
        EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The event loops of {@code idle=poll}, created when the first such address needs them. */
  private static final class PollingEventLoops {
    static final EventLoopGroup GROUP = EventLoops.EPOLL
        ? new EpollEventLoopGroup(0, new DefaultThreadFactory("plumb-tcp-poll", true),
            PollingSelectStrategy.FACTORY)
        : new NioEventLoopGroup(0, new DefaultThreadFactory("plumb-tcp-poll", true),
            SelectorProvider.provider(), PollingSelectStrategy.FACTORY);
  }
}
