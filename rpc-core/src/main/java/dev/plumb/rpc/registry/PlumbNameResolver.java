package dev.plumb.rpc.registry;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.grpc.internal.GrpcUtil;
import io.grpc.internal.SharedResourceHolder;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A Plumb target's name resolver, one per channel: looks the target up ({@link TargetLookup})
 * when started, and again when gRPC calls {@link #refresh} (a connection was lost or failed)
 * as far as {@link ReResolutionLimit} allows, and hands gRPC every address, over which its load
 * balancer spreads calls (pick_first by default; round_robin when the channel asks for it).
 * A failed lookup is reported as its UNAVAILABLE status; gRPC retries it with backoff.
 *
 * <p>Threads: gRPC calls {@link #start}, {@link #refresh} and {@link #shutdown} in the
 * channel's synchronization context, and each lookup's result is handed back through that
 * context, so the fields marked below are only ever touched there and need no lock. The lookup
 * itself may block (DNS) and runs on gRPC's offload executor, at most one at a time.
 */
final class PlumbNameResolver extends NameResolver {
  private final PlumbTarget target;
  private final TargetLookup lookup;
  private final SynchronizationContext syncContext;
  /** The channel's offload executor; null outside a channel, where gRPC's shared one is used. */
  private final Executor offloadExecutor;
  // The synchronization context's only:
  private final ReResolutionLimit limit;
  private Executor executor;
  private Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  PlumbNameResolver(PlumbTarget target, TargetLookup lookup, Args args, ReResolutionLimit limit) {
    this.target = target;
    this.lookup = lookup;
    this.syncContext = args.getSynchronizationContext();
    this.offloadExecutor = args.getOffloadExecutor();
    this.limit = limit;
  }

  @Override
  public String getServiceAuthority() {
    return target.authority();
  }

  @Override
  public void start(Listener2 listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = listener;
    executor = offloadExecutor != null ? offloadExecutor
        : SharedResourceHolder.get(GrpcUtil.SHARED_CHANNEL_EXECUTOR);
    resolve();
  }

  @Override
  public void refresh() {
    if (listener == null) {
      throw new IllegalStateException("not started");
    }
    resolve();
  }

  private void resolve() {
    if (resolving || shutdown || !limit.allowsLookUp()) {
      return;
    }
    resolving = true;
    Listener2 receiver = listener;
    executor.execute(() -> {
      StatusOr<List<EquivalentAddressGroup>> addresses = lookUp();
      syncContext.execute(() -> deliver(receiver, addresses));
    });
  }

  /** On the offload executor. */
  private StatusOr<List<EquivalentAddressGroup>> lookUp() {
    try {
      return lookup.run();
    } catch (RuntimeException e) {
      // A lookup that throws (a SecurityException, a resolver's bug) must still end this
      // resolution, or the channel would never resolve again.
      return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
          target + ": the lookup failed: " + e).withCause(e));
    }
  }

  /** In the synchronization context. */
  private void deliver(Listener2 receiver, StatusOr<List<EquivalentAddressGroup>> addresses) {
    resolving = false;
    if (shutdown) {
      return;
    }
    if (addresses.hasValue()) {
      limit.succeeded();
    }
    // gRPC wraps every resolver so that a result it refuses is retried with backoff; the
    // status it returns needs nothing more from here.
    receiver.onResult2(ResolutionResult.newBuilder().setAddressesOrError(addresses).build());
  }

  @Override
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    if (executor != null && offloadExecutor == null) {
      SharedResourceHolder.release(GrpcUtil.SHARED_CHANNEL_EXECUTOR, executor);
    }
  }
}
