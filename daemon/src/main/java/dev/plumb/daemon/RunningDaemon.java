package dev.plumb.daemon;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.ChannelzService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC {@link Server} listening on every address of the daemon at once (Plumb's and
 * grpc-netty's listeners as one server, made by {@code PlumbGrpcServerBuilder}), hosting its
 * services plus gRPC's health service (each hosted service, and the server as a whole under
 * the name "", is SERVING while the daemon runs), server reflection ({@code grpc.reflection.v1}
 * and the older {@code v1alpha} that many tools still ask for) and channelz
 * ({@code grpc.channelz.v1}: the server, its calls and its sockets' counters).
 *
 * <p>{@link #stop} drains: health turns NOT_SERVING, the listeners of both kinds close, calls
 * in flight get the grace period to finish, then the rest are cancelled. It may be called from
 * any thread, and more than once (a signal, the end of stdin, a shutdown hook): the first
 * caller drains, later callers wait until it is done. {@link #forceNow} cuts a drain short.
 */
final class RunningDaemon {
  private static final Logger log = LoggerFactory.getLogger(RunningDaemon.class);
  /** The most entries channelz returns per page. */
  private static final int CHANNELZ_PAGE_SIZE = 100;
  /** How long cancelled calls may take to wind up after the grace period. */
  private static final Duration FORCED = Duration.ofSeconds(5);

  private final Server server;
  private final HealthStatusManager health;
  private final List<BindableService> services;
  private final CountDownLatch stopped = new CountDownLatch(1);
  // Guarded by "this": whether a drain has begun; only the first stop() drains.
  private boolean stopping;

  private RunningDaemon(Server server, HealthStatusManager health,
      List<BindableService> services) {
    this.server = server;
    this.health = health;
    this.services = services;
  }

  /**
   * Starts {@code builder}'s server, listening on every address or on none: if one cannot be
   * bound, those already bound are closed before the exception is thrown.
   *
   * @throws IOException if an address cannot be listened on
   */
  @SuppressWarnings("deprecation") // v1alpha reflection: still what many clients ask for
  static RunningDaemon start(ServerBuilder<?> builder, List<BindableService> services)
      throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    services.forEach(builder::addService);
    builder.addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance())
        .addService(ChannelzService.newInstance(CHANNELZ_PAGE_SIZE));
    Server server = builder.build().start();
    for (BindableService service : services) {
      health.setStatus(ServiceCatalog.serviceName(service), ServingStatus.SERVING);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    return new RunningDaemon(server, health, services);
  }

  /** The addresses actually bound, in the order given (a tcp: port 0 as the real port). */
  List<? extends SocketAddress> boundAddresses() {
    return server.getListenSockets();
  }

  /** The gRPC names of the hosted services, health and reflection excluded. */
  List<String> serviceNames() {
    return services.stream().map(ServiceCatalog::serviceName).toList();
  }

  /** Drains within {@code grace}, then cancels what is left; see the class comment. */
  void stop(Duration grace) {
    synchronized (this) {
      if (stopping) {
        // Someone else drains; wait for them below, outside the lock.
        grace = null;
      }
      stopping = true;
    }
    if (grace == null) {
      awaitStopped();
      return;
    }
    try {
      log.info("draining: no new calls; calls in flight have {} ms to finish", grace.toMillis());
      health.enterTerminalState();
      server.shutdown();
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("calls still running after {} ms; cancelling them", grace.toMillis());
        server.shutdownNow();
        if (!server.awaitTermination(FORCED.toNanos(), TimeUnit.NANOSECONDS)) {
          log.warn("the server did not terminate {} s after cancelling", FORCED.toSeconds());
        }
      }
      closeServices();
      log.info("stopped");
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /** Cancels every call now, e.g. on a second signal during a drain. */
  void forceNow() {
    log.warn("cancelling every call now");
    server.shutdownNow();
  }

  synchronized boolean isStopping() {
    return stopping;
  }

  /** Waits until a {@link #stop} has finished its drain. */
  void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeServices() {
    for (BindableService service : services) {
      if (service instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.warn("closing {} failed: {}", service.getClass().getName(), e.toString());
        }
      }
    }
  }
}
