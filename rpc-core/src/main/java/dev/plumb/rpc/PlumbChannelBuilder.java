package dev.plumb.rpc;

import dev.plumb.rpc.internal.GrpcRuntime;
import dev.plumb.rpc.internal.PlumbClientTransportFactory;
import dev.plumb.rpc.internal.ProtocolSettings;
import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ForwardingChannelBuilder2;
import io.grpc.ManagedChannelBuilder;
import io.grpc.internal.ManagedChannelImplBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Builds a gRPC {@link io.grpc.ManagedChannel} whose calls travel over a Plumb transport chosen
 * by the target's scheme: {@code tcp://host:port}, {@code unix:///path}, {@code pipe:command},
 * {@code shm:///path}, or {@code mem:name} in one JVM. Everything else is gRPC's own channel:
 * interceptors, deadlines, retries, load balancing, compression.
 *
 * <pre>{@code
 * ManagedChannel channel = PlumbChannelBuilder.forTarget("tcp://127.0.0.1:7000").build();
 * }</pre>
 */
public final class PlumbChannelBuilder extends ForwardingChannelBuilder2<PlumbChannelBuilder> {
  private final ManagedChannelImplBuilder delegate;
  private ProtocolSettings settings = ProtocolSettings.DEFAULTS;
  private long keepAliveTimeNanos = ProtocolSettings.KEEPALIVE_DISABLED;
  private long keepAliveTimeoutNanos = ProtocolSettings.DEFAULT_KEEPALIVE_TIMEOUT_NANOS;
  private boolean keepAliveWithoutCalls;

  private PlumbChannelBuilder(String target) {
    GrpcRuntime.requireSupported();
    delegate = new ManagedChannelImplBuilder(target, this::buildTransportFactory, null);
  }

  private PlumbChannelBuilder(PlumbAddress address, String authority) {
    GrpcRuntime.requireSupported();
    delegate = new ManagedChannelImplBuilder(address, authority, this::buildTransportFactory, null);
  }

  /**
   * A channel to {@code target}, a URI whose scheme names an installed Plumb transport.
   *
   * @throws IllegalArgumentException at once if the target is malformed or no transport on the
   *     class path serves its scheme; the message lists the schemes that are served
   * @throws IllegalStateException if the class path's grpc-java is not one Plumb runs with
   *     (the message names the range)
   */
  public static PlumbChannelBuilder forTarget(String target) {
    // gRPC's channel resolves the canonical form, which is always a valid URI.
    return new PlumbChannelBuilder(TransportRegistry.getDefault().parse(target).toString());
  }

  /**
   * A channel to one address, bypassing name resolution.
   *
   * @throws IllegalStateException if the class path's grpc-java is not one Plumb runs with
   */
  public static PlumbChannelBuilder forAddress(PlumbAddress address) {
    String authority = address.uri().getRawAuthority();
    return new PlumbChannelBuilder(address,
        authority == null || authority.isEmpty() ? "localhost" : authority);
  }

  @Override
  protected ManagedChannelBuilder<?> delegate() {
    return delegate;
  }

  /** Plumb is plaintext; this is accepted so code written for other transports compiles. */
  @Override
  public PlumbChannelBuilder usePlaintext() {
    return this;
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

  private PlumbClientTransportFactory buildTransportFactory() {
    return new PlumbClientTransportFactory(TransportRegistry.getDefault(),
        settings.withKeepAlive(keepAliveTimeNanos, keepAliveTimeoutNanos, TimeUnit.NANOSECONDS,
            keepAliveWithoutCalls));
  }
}
