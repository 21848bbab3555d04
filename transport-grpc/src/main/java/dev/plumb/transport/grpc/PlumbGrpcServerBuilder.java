package dev.plumb.transport.grpc;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.BinaryLog;
import io.grpc.BindableService;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.Epoll;
import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds one gRPC {@link Server} that serves the same services, with the same interceptors,
 * filters, executors and limits, on Plumb listen addresses ({@code tcp://}, {@code unix://},
 * ...) and on standard gRPC (HTTP/2) addresses through grpc-netty ({@code grpc://host:port},
 * {@code grpc+unix:///path}, see {@link GrpcListenAddress}), so that tools and clients in other
 * languages reach what Plumb clients reach:
 *
 * <pre>{@code
 * HealthStatusManager health = new HealthStatusManager();
 * Server server = PlumbGrpcServerBuilder.forAddress("unix:///run/calc/calc.sock")
 *     .addListenAddress("grpc://127.0.0.1:7001")
 *     .addService(new CalculatorService())
 *     .addService(health.getHealthService())
 *     .addService(ProtoReflectionServiceV1.newInstance())
 *     .intercept(new AuditInterceptor())
 *     .build().start();
 * }</pre>
 *
 * <p>Each service is bound once and the same definition, so the same service object, serves
 * every address: a health service's statuses and a reflection service's answers are the same
 * on each. The server starts listening on every address or on none, {@code shutdown()} drains
 * them all, {@code shutdownNow()} cancels on all, and {@code awaitTermination} waits for all.
 * {@code getListenSockets()} lists the addresses in the order given, bound.
 *
 * <p>What the generic {@link ServerBuilder} methods set applies to both kinds of listener. What
 * only one kind has goes through {@link #configurePlumb} ({@code flowControlWindow},
 * {@code maxConnections}, ...) or {@link #configureGrpc} (Netty's own settings).
 */
public final class PlumbGrpcServerBuilder extends ServerBuilder<PlumbGrpcServerBuilder> {
  /**
   * One listen address with what secures it: a gRPC address, or a Plumb address that made
   * {@code plumbListeners} listeners of the Plumb server from its {@code firstPlumbListener}
   * on ({@code systemd:} may name several sockets).
   */
  private record Address(ServerCredentials credentials, GrpcListenAddress grpc,
      int firstPlumbListener, int plumbListeners) {}

  private final List<Address> addresses = new ArrayList<>();
  /**
   * The one builder of every Plumb address, made at the first: each address is parsed once,
   * since parsing claims what it names (a socket systemd passed may be claimed once only).
   */
  private PlumbServerBuilder plumb;
  /** What every underlying builder is told, in the order it was said. */
  private final List<Consumer<ServerBuilder<?>>> common = new ArrayList<>();
  private final List<Consumer<PlumbServerBuilder>> plumbOnly = new ArrayList<>();
  private final List<Consumer<NettyServerBuilder>> grpcOnly = new ArrayList<>();

  private PlumbGrpcServerBuilder() {}

  /**
   * A server listening at {@code listenAddress}, in plaintext: a Plumb address or a gRPC one.
   *
   * @throws IllegalArgumentException at once if the address is malformed, or is a Plumb address
   *     whose scheme no transport on the class path serves
   */
  public static PlumbGrpcServerBuilder forAddress(String listenAddress) {
    return new PlumbGrpcServerBuilder().addListenAddress(listenAddress);
  }

  /**
   * A server listening at {@code listenAddress}, its connections secured as {@code credentials}
   * say: a Plumb address takes what {@link PlumbServerBuilder#forAddress(String,
   * ServerCredentials)} takes, a gRPC address what grpc-netty takes
   * ({@code TlsServerCredentials}, say).
   */
  public static PlumbGrpcServerBuilder forAddress(String listenAddress,
      ServerCredentials credentials) {
    return new PlumbGrpcServerBuilder().addListenAddress(listenAddress, credentials);
  }

  /** Listens at one more address, in plaintext; every address serves every service. */
  public PlumbGrpcServerBuilder addListenAddress(String listenAddress) {
    return addListenAddress(listenAddress, InsecureServerCredentials.create());
  }

  /** Listens at one more address, secured as {@code credentials} say; see {@link #forAddress}. */
  public PlumbGrpcServerBuilder addListenAddress(String listenAddress,
      ServerCredentials credentials) {
    if (GrpcListenAddress.isGrpcAddress(listenAddress)) {
      GrpcListenAddress grpc = GrpcListenAddress.parse(listenAddress);
      if (grpc.isUnix() && !Epoll.isAvailable()) {
        throw new IllegalArgumentException("'" + listenAddress + "': gRPC over a Unix socket"
            + " needs Netty's epoll transport (Linux, netty-transport-native-epoll), which is"
            + " not available here: " + Epoll.unavailabilityCause());
      }
      addresses.add(new Address(credentials, grpc, 0, 0));
    } else {
      // Checked now, as PlumbServerBuilder checks it: a bad address fails here, not at build().
      int before = plumb == null ? 0 : plumb.listenerCount();
      plumb = plumb == null ? PlumbServerBuilder.forAddress(listenAddress, credentials)
          : plumb.addListenAddress(listenAddress, credentials);
      addresses.add(new Address(credentials, null, before, plumb.listenerCount() - before));
    }
    return this;
  }

  /** Settings that only Plumb's listeners have, applied when the server is built. */
  public PlumbGrpcServerBuilder configurePlumb(Consumer<PlumbServerBuilder> settings) {
    plumbOnly.add(settings);
    return this;
  }

  /** Settings that only the gRPC (grpc-netty) listeners have, applied to each when built. */
  public PlumbGrpcServerBuilder configureGrpc(Consumer<NettyServerBuilder> settings) {
    grpcOnly.add(settings);
    return this;
  }

  private PlumbGrpcServerBuilder everywhere(Consumer<ServerBuilder<?>> setting) {
    common.add(setting);
    return this;
  }

  @Override
  public PlumbGrpcServerBuilder directExecutor() {
    return everywhere(ServerBuilder::directExecutor);
  }

  @Override
  public PlumbGrpcServerBuilder executor(Executor executor) {
    return everywhere(builder -> builder.executor(executor));
  }

  @Override
  public PlumbGrpcServerBuilder callExecutor(ServerCallExecutorSupplier executorSupplier) {
    return everywhere(builder -> builder.callExecutor(executorSupplier));
  }

  @Override
  public PlumbGrpcServerBuilder addService(ServerServiceDefinition service) {
    return everywhere(builder -> builder.addService(service));
  }

  /** Binds {@code bindableService} once: the same definition serves every address. */
  @Override
  public PlumbGrpcServerBuilder addService(BindableService bindableService) {
    return addService(bindableService.bindService());
  }

  @Override
  public PlumbGrpcServerBuilder intercept(ServerInterceptor interceptor) {
    return everywhere(builder -> builder.intercept(interceptor));
  }

  @Override
  public PlumbGrpcServerBuilder addTransportFilter(ServerTransportFilter filter) {
    return everywhere(builder -> builder.addTransportFilter(filter));
  }

  @Override
  public PlumbGrpcServerBuilder addStreamTracerFactory(ServerStreamTracer.Factory factory) {
    return everywhere(builder -> builder.addStreamTracerFactory(factory));
  }

  @Override
  public PlumbGrpcServerBuilder fallbackHandlerRegistry(HandlerRegistry fallbackRegistry) {
    return everywhere(builder -> builder.fallbackHandlerRegistry(fallbackRegistry));
  }

  /**
   * Not how this server takes TLS: give {@code TlsServerCredentials} with each listen address
   * ({@link #addListenAddress(String, ServerCredentials)}).
   *
   * @throws UnsupportedOperationException always, saying so
   */
  @Override
  public PlumbGrpcServerBuilder useTransportSecurity(File certChain, File privateKey) {
    throw useCredentials();
  }

  /** As {@link #useTransportSecurity(File, File)}. */
  @Override
  public PlumbGrpcServerBuilder useTransportSecurity(InputStream certChain,
      InputStream privateKey) {
    throw useCredentials();
  }

  private static UnsupportedOperationException useCredentials() {
    return new UnsupportedOperationException("this server takes TLS per listen address:"
        + " addListenAddress(address, TlsServerCredentials.create(certChain, privateKey))");
  }

  @Override
  public PlumbGrpcServerBuilder decompressorRegistry(DecompressorRegistry registry) {
    return everywhere(builder -> builder.decompressorRegistry(registry));
  }

  @Override
  public PlumbGrpcServerBuilder compressorRegistry(CompressorRegistry registry) {
    return everywhere(builder -> builder.compressorRegistry(registry));
  }

  @Override
  public PlumbGrpcServerBuilder handshakeTimeout(long timeout, TimeUnit unit) {
    return everywhere(builder -> builder.handshakeTimeout(timeout, unit));
  }

  @Override
  public PlumbGrpcServerBuilder keepAliveTime(long keepAliveTime, TimeUnit timeUnit) {
    return everywhere(builder -> builder.keepAliveTime(keepAliveTime, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder keepAliveTimeout(long keepAliveTimeout, TimeUnit timeUnit) {
    return everywhere(builder -> builder.keepAliveTimeout(keepAliveTimeout, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder maxConnectionIdle(long maxConnectionIdle, TimeUnit timeUnit) {
    return everywhere(builder -> builder.maxConnectionIdle(maxConnectionIdle, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder maxConnectionAge(long maxConnectionAge, TimeUnit timeUnit) {
    return everywhere(builder -> builder.maxConnectionAge(maxConnectionAge, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder maxConnectionAgeGrace(long grace, TimeUnit timeUnit) {
    return everywhere(builder -> builder.maxConnectionAgeGrace(grace, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder permitKeepAliveTime(long keepAliveTime, TimeUnit timeUnit) {
    return everywhere(builder -> builder.permitKeepAliveTime(keepAliveTime, timeUnit));
  }

  @Override
  public PlumbGrpcServerBuilder permitKeepAliveWithoutCalls(boolean permit) {
    return everywhere(builder -> builder.permitKeepAliveWithoutCalls(permit));
  }

  @Override
  public PlumbGrpcServerBuilder maxInboundMessageSize(int bytes) {
    return everywhere(builder -> builder.maxInboundMessageSize(bytes));
  }

  @Override
  public PlumbGrpcServerBuilder maxInboundMetadataSize(int bytes) {
    return everywhere(builder -> builder.maxInboundMetadataSize(bytes));
  }

  @Override
  public PlumbGrpcServerBuilder setBinaryLog(BinaryLog binaryLog) {
    return everywhere(builder -> builder.setBinaryLog(binaryLog));
  }

  /**
   * One Plumb server for all the Plumb addresses and a grpc-netty server for each gRPC
   * address, not started, as one {@link Server}. With a {@code grpc+unix:} address it holds
   * event loops from now on: shut it down even if it never starts.
   *
   * @throws IllegalStateException if no address was given
   */
  @Override
  public Server build() {
    if (addresses.isEmpty()) {
      throw new IllegalStateException("no listen address");
    }
    UnixEventLoops unixLoops = addresses.stream().anyMatch(
        address -> address.grpc() != null && address.grpc().isUnix()) ? new UnixEventLoops() : null;
    Server plumbServer = null;
    if (plumb != null) {
      common.forEach(setting -> setting.accept(plumb));
      plumbOnly.forEach(setting -> setting.accept(plumb));
      plumbServer = plumb.build();
    }
    // In the order of the addresses: they start in that order.
    List<Server> servers = new ArrayList<>();
    List<PlumbGrpcServer.Listening> listening = new ArrayList<>();
    for (Address address : addresses) {
      if (address.grpc() == null) {
        if (!servers.contains(plumbServer)) {
          servers.add(plumbServer);
        }
        for (int i = 0; i < address.plumbListeners(); i++) {
          listening.add(new PlumbGrpcServer.Listening(plumbServer,
              address.firstPlumbListener() + i, null));
        }
      } else {
        NettyServerBuilder netty = nettyBuilder(address, unixLoops);
        common.forEach(setting -> setting.accept(netty));
        grpcOnly.forEach(setting -> setting.accept(netty));
        Server server = netty.build();
        servers.add(server);
        listening.add(new PlumbGrpcServer.Listening(server, 0, address.grpc()));
      }
    }
    return new PlumbGrpcServer(servers, listening, unixLoops);
  }

  private static NettyServerBuilder nettyBuilder(Address address, UnixEventLoops unixLoops) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(
        address.grpc().socketAddress(), address.credentials());
    if (address.grpc().isUnix()) {
      unixLoops.use(builder);
    }
    return builder;
  }
}
