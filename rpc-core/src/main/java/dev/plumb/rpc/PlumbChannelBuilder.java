package dev.plumb.rpc;

import dev.plumb.rpc.attach.AttachmentSupport;
import dev.plumb.rpc.internal.ChannelSecurity;
import dev.plumb.rpc.internal.GrpcRuntime;
import dev.plumb.rpc.internal.PlumbClientTransportFactory;
import dev.plumb.rpc.internal.ProtocolSettings;
import dev.plumb.rpc.registry.GrpcRegistryTargets;
import dev.plumb.rpc.registry.IpTransport;
import dev.plumb.rpc.registry.PlumbTarget;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.ForwardingChannelBuilder2;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ProxyDetector;
import io.grpc.internal.GrpcUtil;
import io.grpc.internal.ManagedChannelImplBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Builds a gRPC {@link io.grpc.ManagedChannel} whose calls travel over a Plumb transport chosen
 * by the target's scheme: {@code tcp://host:port}, {@code unix:///path}, {@code pipe:command},
 * {@code shm:///path}, or {@code mem:name} in one JVM. Everything else is gRPC's own channel:
 * interceptors, deadlines, retries, load balancing, compression. A target may name several
 * servers, over which gRPC's load balancer spreads the calls: {@code tcp://h1:7000,h2:7000}, a
 * host name with several addresses, or gRPC's own {@code dns:///name:7000} (docs/TRANSPORTS.md,
 * "Three replicas behind one target").
 *
 * <pre>{@code
 * ManagedChannel channel = PlumbChannelBuilder.forTarget("tcp://127.0.0.1:7000").build();
 * }</pre>
 *
 * <p>Plaintext unless it is given gRPC's {@link ChannelCredentials}: {@code TlsChannelCredentials}
 * on a transport that runs TLS ({@code tcp:}), as
 * {@code forTarget("tcp://db.internal:7443", TlsChannelCredentials.create())} or gRPC's own
 * {@code Grpc.newChannelBuilder(target, credentials)}. The server's certificate must then name the
 * channel's authority (the target's host, or {@link #overrideAuthority}).
 */
public final class PlumbChannelBuilder extends ForwardingChannelBuilder2<PlumbChannelBuilder> {
  private final ManagedChannelImplBuilder delegate;
  private final ChannelCredentials credentials;
  private ChannelSecurity security;
  /**
   * What carries the IP addresses of gRPC's own resolvers; null when the target is a Plumb
   * target (its resolver gives Plumb addresses) or a single address.
   */
  private IpTransport ipTransport;
  private ProtocolSettings settings = ProtocolSettings.DEFAULTS;
  private long keepAliveTimeNanos = ProtocolSettings.KEEPALIVE_DISABLED;
  private long keepAliveTimeoutNanos = ProtocolSettings.DEFAULT_KEEPALIVE_TIMEOUT_NANOS;
  private boolean keepAliveWithoutCalls;

  private PlumbChannelBuilder(String target, ChannelCredentials credentials,
      ChannelSecurity security, IpTransport ipTransport) {
    GrpcRuntime.requireSupported();
    this.credentials = credentials;
    this.security = security;
    this.ipTransport = ipTransport;
    delegate = new ManagedChannelImplBuilder(target, this::buildTransportFactory, null);
    installAttachmentSupport();
    // Plumb's transports connect directly; a proxied address would reach no transport.
    delegate.proxyDetector(GrpcUtil.NOOP_PROXY_DETECTOR);
  }

  private PlumbChannelBuilder(PlumbAddress address, String authority,
      ChannelCredentials credentials, ChannelSecurity security) {
    GrpcRuntime.requireSupported();
    this.credentials = credentials;
    this.security = security;
    delegate = new ManagedChannelImplBuilder(address, authority, this::buildTransportFactory, null);
    installAttachmentSupport();
  }

  /**
   * A channel to {@code target}: a URI whose scheme names an installed Plumb transport, several
   * {@code HOST:PORT} endpoints of one ({@code tcp://h1:7000,h2:7000}), or a target of gRPC's own
   * name resolvers ({@code dns:///name:7000}), whose IP addresses go over the
   * {@linkplain #ipTransport transport for IP addresses}.
   *
   * @throws IllegalArgumentException at once if the target is malformed, or neither a
   *     transport on the class path nor a resolver of gRPC's serves its scheme; the message lists
   *     the schemes that are served
   * @throws IllegalStateException if the class path's grpc-java is not one Plumb runs with
   *     (the message names the range)
   */
  public static PlumbChannelBuilder forTarget(String target) {
    return forTarget(target, InsecureChannelCredentials.create());
  }

  /**
   * A channel to {@code target} (as {@link #forTarget(String)}) whose connections are secured as
   * {@code credentials} say: {@code InsecureChannelCredentials}, {@code TlsChannelCredentials}
   * (trust roots or trust managers; a certificate chain and key, or key managers, for mutual
   * TLS) on a transport that runs TLS, or a {@code ChoiceChannelCredentials} of them (the first
   * that can be honoured).
   *
   * @throws IllegalArgumentException at once if the target is malformed, nothing serves it, or
   *     the credentials cannot be honoured there: TLS on a transport without it ({@code unix:},
   *     {@code pipe:}, {@code shm:}, {@code mem:}), features it does not implement, a key or
   *     certificate it cannot read, or a kind of credentials Plumb does not take
   */
  public static PlumbChannelBuilder forTarget(String target, ChannelCredentials credentials) {
    TransportRegistry registry = TransportRegistry.getDefault();
    if (!registry.servesSchemeOf(target) && GrpcRegistryTargets.resolvesToIpAddresses(target)) {
      IpTransport ip = IpTransport.byDefault(registry).orElseThrow(
          () -> new IllegalArgumentException("'" + target + "' is resolved by gRPC to IP"
              + " addresses, and no Plumb transport on the class path carries them"
              + " (plumb-transport-tcp does); transports found: "
              + String.join(", ", registry.schemes())));
      return new PlumbChannelBuilder(target, credentials,
          ChannelSecurity.of(credentials, ip.transport(), ip.scheme()), ip);
    }
    PlumbTarget parsed = registry.parseTarget(target);
    // gRPC's channel resolves the canonical form, which is always a valid URI, under the name
    // that gRPC's registry gives Plumb's resolver for it (plumb+unix: for unix:).
    return new PlumbChannelBuilder(GrpcRegistryTargets.channelTarget(parsed), credentials,
        ChannelSecurity.of(credentials, registry.transportFor(parsed.endpoints().get(0)),
            parsed.scheme()), null);
  }

  /**
   * A channel to one address, bypassing name resolution.
   *
   * @throws IllegalStateException if the class path's grpc-java is not one Plumb runs with
   */
  public static PlumbChannelBuilder forAddress(PlumbAddress address) {
    return forAddress(address, InsecureChannelCredentials.create());
  }

  /**
   * A channel to one address, bypassing name resolution, secured as {@code credentials} say
   * (see {@link #forTarget(String, ChannelCredentials)}).
   */
  public static PlumbChannelBuilder forAddress(PlumbAddress address,
      ChannelCredentials credentials) {
    String authority = address.uri().getRawAuthority();
    return new PlumbChannelBuilder(address,
        authority == null || authority.isEmpty() ? "localhost" : authority, credentials,
        ChannelSecurity.of(credentials, TransportRegistry.getDefault().transportFor(address),
            address.scheme()));
  }

  @Override
  protected ManagedChannelBuilder<?> delegate() {
    return delegate;
  }

  /**
   * A channel made without credentials is plaintext already: this is accepted so that code
   * written for other transports runs.
   *
   * @throws IllegalStateException on a channel made with TLS credentials, which this would
   *     contradict
   */
  @Override
  public PlumbChannelBuilder usePlaintext() {
    if (security.isTls()) {
      throw new IllegalStateException("this channel was made with TLS credentials; it cannot"
          + " also be plaintext");
    }
    return this;
  }

  /**
   * Not how a Plumb channel takes TLS: give {@code TlsChannelCredentials} when making it
   * ({@link #forTarget(String, ChannelCredentials)}).
   *
   * @throws UnsupportedOperationException always, saying so
   */
  @Override
  public PlumbChannelBuilder useTransportSecurity() {
    throw new UnsupportedOperationException("a Plumb channel takes TLS as credentials:"
        + " PlumbChannelBuilder.forTarget(target, TlsChannelCredentials.create()) or"
        + " Grpc.newChannelBuilder(target, credentials)");
  }

  /**
   * The Plumb transport that carries the IP addresses gRPC's own name resolvers give for this
   * channel's target ({@code dns:///name:7000}, and any other resolver that finds servers by IP
   * address): its scheme, optionally with the options of its addresses, e.g. {@code tcp} (the
   * default: the one transport whose addresses are {@code HOST:PORT}) or
   * {@code tcp?idle=poll}. The channel's credentials must suit it. Ignored for a Plumb target,
   * whose scheme names its transport. Configuration key {@code plumb.ipTransport}.
   *
   * @throws IllegalArgumentException if no transport on the class path serves the scheme, its
   *     addresses are not {@code HOST:PORT}, it rejects the options, or it cannot honour the
   *     channel's credentials
   */
  public PlumbChannelBuilder ipTransport(String transport) {
    IpTransport chosen = IpTransport.of(TransportRegistry.getDefault(), transport);
    if (ipTransport != null) {
      security = ChannelSecurity.of(credentials, chosen.transport(), chosen.scheme());
      ipTransport = chosen;
    }
    return this;
  }

  /**
   * Not for Plumb channels, whose transports connect directly.
   *
   * @throws UnsupportedOperationException always, saying so
   */
  @Override
  public PlumbChannelBuilder proxyDetector(ProxyDetector proxyDetector) {
    throw new UnsupportedOperationException("Plumb channels connect to their servers directly;"
        + " they take no proxy");
  }

  @Override
  public PlumbChannelBuilder maxInboundMessageSize(int bytes) {
    settings = settings.withMaxMessageSize(bytes);
    return this;
  }

  @Override
  public PlumbChannelBuilder maxInboundMetadataSize(int bytes) {
    settings = settings.withMaxFrameSize(Math.max(settings.maxFrameSize(), bytes))
        .withMaxMetadataSize(bytes);
    return this;
  }

  /** Bytes the server may send on one call before this side has consumed them (1 MiB default). */
  public PlumbChannelBuilder flowControlWindow(int bytes) {
    settings = settings.withWindows(bytes, Math.max(bytes, settings.connectionWindow()));
    return this;
  }

  /** Largest frame payload this side accepts (64 KiB default). */
  public PlumbChannelBuilder maxFrameSize(int bytes) {
    settings = settings.withMaxFrameSize(bytes);
    return this;
  }

  /**
   * Bytes of attachments (shared buffers, with plumb-shared-buffers) the peer may send with
   * one call (1 GiB default); more end the call with RESOURCE_EXHAUSTED.
   */
  public PlumbChannelBuilder maxAttachedBytesPerCall(long bytes) {
    settings = settings.withAttachmentLimits(bytes, settings.maxAttachedBytesPerConnection(),
        settings.maxAttachmentDescriptors());
    return this;
  }

  /**
   * Bytes of attachments the calls open on one connection may hold at once (1 GiB default);
   * a call that would go over ends with RESOURCE_EXHAUSTED.
   */
  public PlumbChannelBuilder maxAttachedBytesPerConnection(long bytes) {
    settings = settings.withAttachmentLimits(settings.maxAttachedBytesPerCall(), bytes,
        settings.maxAttachmentDescriptors());
    return this;
  }

  /**
   * Descriptors of attachments (over {@code unix:}) the calls open on one connection may hold
   * at once (1024 default); a peer that sends more loses the connection (RESOURCE_EXHAUSTED).
   */
  public PlumbChannelBuilder maxAttachmentDescriptors(int descriptors) {
    settings = settings.withAttachmentLimits(settings.maxAttachedBytesPerCall(),
        settings.maxAttachedBytesPerConnection(), descriptors);
    return this;
  }

  /** How long a new connection may take to complete the Plumb handshake (10 s default). */
  public PlumbChannelBuilder handshakeTimeout(long timeout, TimeUnit unit) {
    settings = settings.withHandshakeTimeout(timeout, unit);
    return this;
  }

  /**
   * Sends a PING after {@code time} without inbound frames and fails the connection if no answer
   * comes within the keep-alive timeout (20 s default), as gRPC's transports do. Off by default;
   * values are clamped to gRPC's minimum of 10 s. Servers end connections that ping more often
   * than they permit (5 minutes by default).
   */
  @Override
  public PlumbChannelBuilder keepAliveTime(long time, TimeUnit unit) {
    keepAliveTimeNanos = time == Long.MAX_VALUE ? ProtocolSettings.KEEPALIVE_DISABLED
        : unit.toNanos(time);
    return this;
  }

  @Override
  public PlumbChannelBuilder keepAliveTimeout(long timeout, TimeUnit unit) {
    keepAliveTimeoutNanos = unit.toNanos(timeout);
    return this;
  }

  @Override
  public PlumbChannelBuilder keepAliveWithoutCalls(boolean enable) {
    keepAliveWithoutCalls = enable;
    return this;
  }

  /**
   * With plumb-shared-buffers on the class path: its interceptor on every call, closest to the
   * transport (added first), and attachments accepted from servers. Nothing otherwise.
   */
  private void installAttachmentSupport() {
    AttachmentSupport.installed().ifPresent(support -> {
      delegate.intercept(support.clientInterceptor());
      settings = settings.withAttachments(support);
    });
  }

  private PlumbClientTransportFactory buildTransportFactory() {
    return new PlumbClientTransportFactory(TransportRegistry.getDefault(),
        settings.withKeepAlive(keepAliveTimeNanos, keepAliveTimeoutNanos, TimeUnit.NANOSECONDS,
            keepAliveWithoutCalls), security, ipTransport);
  }
}
