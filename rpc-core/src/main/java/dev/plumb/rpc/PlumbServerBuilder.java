package dev.plumb.rpc;

import dev.plumb.rpc.attach.AttachmentSupport;
import dev.plumb.rpc.internal.ConnectionLifetime;
import dev.plumb.rpc.internal.ConnectionLimits;
import dev.plumb.rpc.internal.GrpcRuntime;
import dev.plumb.rpc.internal.InheritedListenAddresses;
import dev.plumb.rpc.internal.ListenSecurity;
import dev.plumb.rpc.internal.PlumbInternalServer;
import dev.plumb.rpc.internal.ProtocolSettings;
import dev.plumb.rpc.internal.TransportServersBuilder;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ForwardingServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.internal.ServerImplBuilder;
import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a gRPC {@link io.grpc.Server} that listens on one or more Plumb addresses, e.g.
 * {@code tcp://127.0.0.1:7000} and {@code unix:///run/app.sock} at once. Services,
 * interceptors, executors and health or reflection services are gRPC's own.
 *
 * <pre>{@code
 * Server server = PlumbServerBuilder.forAddress("tcp://127.0.0.1:7000")
 *     .addService(new CalculatorImpl())
 *     .build().start();
 * }</pre>
 *
 * <p>A listen address may also name a socket this process inherited, already listening,
 * instead of one to bind: {@code systemd:} serves every socket systemd passed (socket
 * activation: {@code LISTEN_FDS}, {@code LISTEN_PID}), {@code systemd:NAME} those named NAME
 * ({@code FileDescriptorName=} in the {@code .socket} unit), {@code fd:N} descriptor N whoever
 * passed it. The socket's kind picks the transport: a TCP socket is served as {@code tcp:}, a
 * Unix domain socket as {@code unix:}; options for it follow a {@code ?}, e.g.
 * {@code systemd:api?allowGids=117}. The sockets are read when the address is added; the server
 * closes them when it stops, and a socket systemd passed can be served once per process.
 * docs/DAEMON.md has a unit-file example.
 *
 * <p>Each listen address is plaintext unless it is given gRPC's {@link ServerCredentials}:
 * {@code TlsServerCredentials} on a transport that runs TLS ({@code tcp:}), e.g.
 * {@code forAddress("tcp://0.0.0.0:7443", TlsServerCredentials.create(chainFile, keyFile))}.
 */
public final class PlumbServerBuilder extends ForwardingServerBuilder<PlumbServerBuilder> {
  /** As grpc-netty's servers: a client quiet for two hours is pinged. */
  private static final long DEFAULT_KEEPALIVE_HOURS = 2;

  private final ServerImplBuilder delegate;
  private final List<ListenSecurity.Address> addresses = new ArrayList<>();
  private ProtocolSettings settings = ProtocolSettings.DEFAULTS
      .withServerKeepAliveTime(DEFAULT_KEEPALIVE_HOURS, TimeUnit.HOURS);
  private long permitKeepAliveNanos = ProtocolSettings.DEFAULT_PERMIT_KEEPALIVE_NANOS;
  private boolean permitKeepAliveWithoutCalls;
  private ConnectionLifetime lifetime = ConnectionLifetime.UNLIMITED;
  private ConnectionLimits limits = ConnectionLimits.defaults(ConnectionPeers::of);

  private PlumbServerBuilder() {
    GrpcRuntime.requireSupported();
    delegate = new ServerImplBuilder(new TransportServersBuilder(
        tracerFactories -> new PlumbInternalServer(TransportRegistry.getDefault(), addresses,
            settings.withPermittedKeepAlive(permitKeepAliveNanos, TimeUnit.NANOSECONDS,
                permitKeepAliveWithoutCalls)
                .withLifetime(lifetime),
            limits, tracerFactories)));
    // With plumb-shared-buffers on the class path: its interceptor on every call, and
    // attachments accepted from clients. Nothing otherwise.
    AttachmentSupport.installed().ifPresent(support -> {
      delegate.intercept(support.serverInterceptor());
      settings = settings.withAttachments(support);
    });
  }

  /**
   * A server listening at {@code listenAddress}.
   *
   * @throws IllegalArgumentException at once if the address is malformed or no transport on
   *     the class path serves its scheme
   * @throws IllegalStateException if the class path's grpc-java is not one Plumb runs with
   *     (the message names the range)
   */
  public static PlumbServerBuilder forAddress(String listenAddress) {
    return new PlumbServerBuilder().addListenAddress(listenAddress);
  }

  /**
   * A server listening at {@code listenAddress}, its connections secured as {@code credentials}
   * say: {@code InsecureServerCredentials}, or {@code TlsServerCredentials} (certificate chain
   * and key, or key managers; trust roots or trust managers and client authentication for mutual
   * TLS) on a transport that runs TLS.
   *
   * @throws IllegalArgumentException at once if the address is malformed, no transport serves
   *     it, or the credentials cannot be honoured there: TLS on a transport without it
   *     ({@code unix:}, {@code pipe:}, {@code shm:}, {@code mem:}), features it does not
   *     implement, or a key or certificate it cannot read
   */
  public static PlumbServerBuilder forAddress(String listenAddress,
      ServerCredentials credentials) {
    return new PlumbServerBuilder().addListenAddress(listenAddress, credentials);
  }

  /**
   * Listens at one more address, in plaintext; all addresses share the services. An address
   * that names inherited sockets ({@code systemd:}, {@code fd:N}; see the class comment) adds
   * one listener per socket.
   *
   * @throws IllegalArgumentException at once if the address is malformed, no transport serves
   *     it, or an inherited socket named by it is missing or not one a transport serves
   */
  public PlumbServerBuilder addListenAddress(String listenAddress) {
    return addListenAddress(listenAddress, InsecureServerCredentials.create());
  }

  /**
   * Listens at one more address, secured as {@code credentials} say (see
   * {@link #forAddress(String, ServerCredentials)}); all addresses share the services.
   */
  public PlumbServerBuilder addListenAddress(String listenAddress,
      ServerCredentials credentials) {
    TransportRegistry registry = TransportRegistry.getDefault();
    List<PlumbAddress> parsed = InheritedListenAddresses.isInherited(listenAddress)
        ? InheritedListenAddresses.resolve(listenAddress, registry.transports())
        : List.of(registry.parse(listenAddress));
    for (PlumbAddress address : parsed) {
      addresses.add(new ListenSecurity.Address(address,
          ListenSecurity.of(credentials, registry.transportFor(address), address.scheme())));
    }
    return this;
  }

  /**
   * How many listeners the addresses given so far make: one per address, and one per socket of
   * an address that names inherited sockets ({@code systemd:} may name several). The built
   * server's {@code getListenSockets()} lists them in this order.
   */
  public int listenerCount() {
    return addresses.size();
  }

  /**
   * Not how a Plumb server takes TLS: give {@code TlsServerCredentials} with the listen address
   * ({@link #forAddress(String, ServerCredentials)}), as {@code Grpc.newServerBuilderForPort}
   * takes them.
   *
   * @throws UnsupportedOperationException always, saying so
   */
  @Override
  public PlumbServerBuilder useTransportSecurity(File certChain, File privateKey) {
    throw useCredentials();
  }

  /** As {@link #useTransportSecurity(File, File)}. */
  @Override
  public PlumbServerBuilder useTransportSecurity(InputStream certChain, InputStream privateKey) {
    throw useCredentials();
  }

  private static UnsupportedOperationException useCredentials() {
    return new UnsupportedOperationException("a Plumb server takes TLS per listen address:"
        + " PlumbServerBuilder.forAddress(address, TlsServerCredentials.create(certChain,"
        + " privateKey)) or addListenAddress(address, credentials)");
  }

  @Override
  protected ServerBuilder<?> delegate() {
    return delegate;
  }

  @Override
  public PlumbServerBuilder maxInboundMessageSize(int bytes) {
    settings = settings.withMaxMessageSize(bytes);
    return this;
  }

  @Override
  public PlumbServerBuilder maxInboundMetadataSize(int bytes) {
    settings = settings.withMaxFrameSize(Math.max(settings.maxFrameSize(), bytes))
        .withMaxMetadataSize(bytes);
    return this;
  }

  /**
   * Bytes of attachments (shared buffers, with plumb-shared-buffers) the peer may send with
   * one call (1 GiB default); more end the call with RESOURCE_EXHAUSTED.
   */
  public PlumbServerBuilder maxAttachedBytesPerCall(long bytes) {
    settings = settings.withAttachmentLimits(bytes, settings.maxAttachedBytesPerConnection(),
        settings.maxAttachmentDescriptors());
    return this;
  }

  /**
   * Bytes of attachments the calls open on one connection may hold at once (1 GiB default);
   * a call that would go over ends with RESOURCE_EXHAUSTED.
   */
  public PlumbServerBuilder maxAttachedBytesPerConnection(long bytes) {
    settings = settings.withAttachmentLimits(settings.maxAttachedBytesPerCall(), bytes,
        settings.maxAttachmentDescriptors());
    return this;
  }

  /**
   * Descriptors of attachments (over {@code unix:}) the calls open on one connection may hold
   * at once (1024 default); a peer that sends more loses the connection (RESOURCE_EXHAUSTED).
   */
  public PlumbServerBuilder maxAttachmentDescriptors(int descriptors) {
    settings = settings.withAttachmentLimits(settings.maxAttachedBytesPerCall(),
        settings.maxAttachedBytesPerConnection(), descriptors);
    return this;
  }

  /**
   * Connections this server keeps open at once, over all its listen addresses (at least 1;
   * {@code Integer.MAX_VALUE} lifts the limit). A connection past it is refused as it is
   * accepted, before its handshake: the client's calls fail with UNAVAILABLE {@code the
   * connection was refused: RESOURCE_EXHAUSTED: the server is at its connection limit
   * (maxConnections=N)}, and the server logs a warning (at most 20 a minute). A closed
   * connection's place is free again at once. By default the smallest of half the process's
   * file-descriptor limit, one per 512 KiB of maximum heap, and 4096 (docs/TRANSPORTS.md,
   * "Connection limits", says why; grpc-netty has no limit).
   */
  public PlumbServerBuilder maxConnections(int connections) {
    limits = limits.withMaxConnections(connections);
    return this;
  }

  /**
   * Connections one peer may keep open to this server at once (at least 1; unlimited by
   * default), refused as {@link #maxConnections} refuses: a peer is a user id on {@code unix:}
   * and {@code shm:} (from the kernel), an IP address on {@code tcp:}. So one runaway client
   * cannot take every place. Over loopback every {@code tcp:} client is the same peer.
   */
  public PlumbServerBuilder maxConnectionsPerPeer(int connections) {
    limits = limits.withMaxPerPeer(connections);
    return this;
  }

  /** Concurrent calls one client connection may have open (1000 default); more wait there. */
  public PlumbServerBuilder maxConcurrentCallsPerConnection(int calls) {
    settings = settings.withMaxConcurrentStreams(calls);
    return this;
  }

  /** Bytes a client may send on one call before this side has consumed them (1 MiB default). */
  public PlumbServerBuilder flowControlWindow(int bytes) {
    settings = settings.withWindows(bytes, Math.max(bytes, settings.connectionWindow()));
    return this;
  }

  /** Largest frame payload this side accepts (64 KiB default). */
  public PlumbServerBuilder maxFrameSize(int bytes) {
    settings = settings.withMaxFrameSize(bytes);
    return this;
  }

  /**
   * At most {@code maxRstStream} streams a client may reset within {@code secondsPerWindow}
   * (1000 per 10 s default); more end its connection with RESOURCE_EXHAUSTED, which defends
   * against "rapid reset" (streams opened only to be reset, each costing the server a call).
   * {@code maxRstStream} 0 lifts the limit. The same method as grpc-netty's server builder.
   */
  public PlumbServerBuilder maxRstFramesPerWindow(int maxRstStream, int secondsPerWindow) {
    settings = settings.withMaxResets(maxRstStream, secondsPerWindow, TimeUnit.SECONDS);
    return this;
  }

  /** How often clients may send keep-alive pings (5 minutes default); more often ends them. */
  @Override
  public PlumbServerBuilder permitKeepAliveTime(long time, TimeUnit unit) {
    permitKeepAliveNanos = unit.toNanos(time);
    return this;
  }

  /** Whether clients may ping while they have no call open (false default). */
  @Override
  public PlumbServerBuilder permitKeepAliveWithoutCalls(boolean permit) {
    permitKeepAliveWithoutCalls = permit;
    return this;
  }

  /**
   * Pings a client after {@code time} without a frame from it (2 hours default, as
   * grpc-netty; at least 1 ms; 1000 days or more turns pings off), and closes the connection,
   * its calls ending UNAVAILABLE, if nothing comes back within {@link #keepAliveTimeout}. So a
   * frozen or vanished client is noticed even when the link stays open.
   */
  @Override
  public PlumbServerBuilder keepAliveTime(long time, TimeUnit unit) {
    settings = settings.withServerKeepAliveTime(time, unit);
    return this;
  }

  /** How long a pinged client has to answer (20 s default; at least 1 ms). */
  @Override
  public PlumbServerBuilder keepAliveTimeout(long timeout, TimeUnit unit) {
    settings = settings.withServerKeepAliveTimeout(timeout, unit);
    return this;
  }

  /**
   * Shuts a connection down gracefully (GO_AWAY; the client reconnects when it needs to) once
   * it has had no call open for {@code time} (unlimited default; at least 1 s).
   */
  @Override
  public PlumbServerBuilder maxConnectionIdle(long time, TimeUnit unit) {
    lifetime = lifetime.withMaxIdle(time, unit);
    return this;
  }

  /**
   * Shuts a connection down gracefully once it is {@code time} old, ±10% per connection
   * (unlimited default; at least 1 s): its calls may go on for {@link #maxConnectionAgeGrace},
   * new ones go to a new connection. Spreads long-lived clients over servers as they change.
   */
  @Override
  public PlumbServerBuilder maxConnectionAge(long time, TimeUnit unit) {
    lifetime = lifetime.withMaxAge(time, unit);
    return this;
  }

  /**
   * How long the calls of a connection past its {@link #maxConnectionAge} may go on before the
   * connection is closed and they end UNAVAILABLE (unlimited default).
   */
  @Override
  public PlumbServerBuilder maxConnectionAgeGrace(long time, TimeUnit unit) {
    lifetime = lifetime.withMaxAgeGrace(time, unit);
    return this;
  }

  /**
   * How long a new connection may take to complete the handshake (10 s default). Plumb's
   * session enforces it and tells the peer in a GO_AWAY; gRPC's own timer, which would race it
   * (and close with CANCELLED), keeps its default as a backstop.
   */
  @Override
  public PlumbServerBuilder handshakeTimeout(long timeout, TimeUnit unit) {
    settings = settings.withHandshakeTimeout(timeout, unit);
    return this;
  }
}
