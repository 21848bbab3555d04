package dev.plumb.rpc.internal;

import io.grpc.MetricRecorder;
import io.grpc.ServerStreamTracer;
import io.grpc.internal.InternalServer;
import io.grpc.internal.ServerImplBuilder;
import java.util.List;
import java.util.function.Function;

/**
 * gRPC's {@link ServerImplBuilder.ClientTransportServersBuilder} in both of the shapes it has had:
 * up to grpc-java 1.80 {@code ServerImplBuilder} calls
 * {@code buildClientTransportServers(List)}, from 1.81 on
 * {@code buildClientTransportServers(List, MetricRecorder)}. This class declares both, so
 * whichever grpc-core is on the class path finds the method it calls: the JVM links an
 * interface call by name and descriptor, and a class compiled against 1.79 has no way to
 * implement the newer method but to declare it as a plain one. A lambda would implement only
 * the method of the version compiled against, and fail with {@code AbstractMethodError} on the
 * other. Neither method says {@code @Override}: in each version one of them overrides nothing.
 */
public final class TransportServersBuilder
    implements ServerImplBuilder.ClientTransportServersBuilder {
  private final Function<List<? extends ServerStreamTracer.Factory>, InternalServer> build;

  public TransportServersBuilder(
      Function<List<? extends ServerStreamTracer.Factory>, InternalServer> build) {
    this.build = build;
  }

  /** What grpc-java up to 1.80 calls. */
  public InternalServer buildClientTransportServers(
      List<? extends ServerStreamTracer.Factory> streamTracerFactories) {
    return build.apply(streamTracerFactories);
  }

  /**
   * What grpc-java 1.81 and later call. Plumb records no transport metrics, so the recorder
   * is not used (as channelz statistics, docs/ARCHITECTURE.md, open point 5).
   */
  public InternalServer buildClientTransportServers(
      List<? extends ServerStreamTracer.Factory> streamTracerFactories,
      MetricRecorder metricRecorder) {
    return build.apply(streamTracerFactories);
  }
}
