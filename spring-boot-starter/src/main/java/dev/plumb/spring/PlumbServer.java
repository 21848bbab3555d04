package dev.plumb.spring;

import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.Server;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The application's gRPC server on its Plumb addresses, started and drained with the
 * application context: it starts listening once the context has refreshed, and when the
 * context closes (or stops) it drains: health turns NOT_SERVING, the listeners close, calls in
 * flight get {@code plumb.server.shutdown-grace} to finish, then the rest are cancelled.
 *
 * <p>The drain runs on a thread of its own and tells Spring when it is done, so it shares its
 * phase's {@code spring.lifecycle.timeout-per-shutdown-phase} with Spring Boot's web servers,
 * which drain in the same phase: if that timeout ends first, Spring moves on and
 * {@link #destroy()} cancels what is left. A stopped server may be started again (a new
 * {@link Server} on the same addresses).
 */
public final class PlumbServer implements SmartLifecycle, DisposableBean {
  /** The phase of Spring Boot's web servers' graceful shutdown, so that both drain together. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;
  private static final Logger log = LoggerFactory.getLogger(PlumbServer.class);
  /** How long cancelled calls may take to wind up after the grace period. */
  private static final Duration FORCED = Duration.ofSeconds(5);

  private final Supplier<PlumbServerBuilder> builders;
  private final List<String> serviceNames;
  private final StandardServices standard;
  private final Duration grace;
  // Guarded by "this". Spring calls start and stop from one thread, but destroy() and
  // getListenSockets() may come from others while a drain thread runs.
  private Server server;
  private Server draining;
  private Thread drainThread;

  /**
   * @param builders a new builder, with the listen addresses and the application's services,
   *     for each start
   * @param serviceNames the application's services, whose health the server reports
   */
  PlumbServer(Supplier<PlumbServerBuilder> builders, List<String> serviceNames,
      StandardServices standard, Duration grace) {
    this.builders = builders;
    this.serviceNames = List.copyOf(serviceNames);
    this.standard = standard;
    this.grace = grace;
  }

  /**
   * Builds and starts the server, listening on every address or on none.
   *
   * @throws IllegalStateException if an address cannot be listened on (its message names the
   *     address and the reason)
   */
  @Override
  public void start() {
    synchronized (this) {
      if (server != null) {
        return;
      }
    }
    PlumbServerBuilder builder = builders.get();
    standard.addTo(builder);
    Server started;
    try {
      started = builder.build().start();
    } catch (IOException e) {
      throw new IllegalStateException("Plumb could not listen: " + e.getMessage(), e);
    }
    synchronized (this) {
      server = started;
    }
    standard.serving(serviceNames);
    log.info("serving {} on {}", serviceNames, started.getListenSockets());
  }

  @Override
  public void stop() {
    Server stopping = takeRunning();
    if (stopping != null) {
      drain(stopping);
    }
  }

  /** Drains on a thread of its own and runs {@code callback} when it is done (class comment). */
  @Override
  public void stop(Runnable callback) {
    Server stopping = takeRunning();
    if (stopping == null) {
      callback.run();
      return;
    }
    Thread thread = new Thread(() -> {
      try {
        drain(stopping);
      } finally {
        callback.run();
      }
    }, "plumb-server-drain");
    synchronized (this) {
      drainThread = thread;
    }
    thread.start();
  }

  /**
   * Cancels the calls of a drain that Spring stopped waiting for, and of a server that was
   * never stopped (a context whose refresh failed), and waits until they have ended.
   */
  @Override
  public void destroy() throws InterruptedException {
    Server running;
    Server unfinished;
    Thread thread;
    synchronized (this) {
      running = server;
      server = null;
      unfinished = draining;
      thread = drainThread;
    }
    for (Server left : new Server[] {running, unfinished}) {
      if (left != null && !left.isTerminated()) {
        log.warn("cancelling the calls still running on {}", left.getListenSockets());
        left.shutdownNow();
        left.awaitTermination(FORCED.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (thread != null) {
      thread.join(FORCED.toMillis());
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * The addresses the running server listens on, in the order of {@code plumb.server.listen}
   * ({@code tcp:} port 0 as the port actually bound); empty when it is not running.
   */
  public synchronized List<? extends SocketAddress> getListenSockets() {
    return server == null ? List.of() : server.getListenSockets();
  }

  private synchronized Server takeRunning() {
    Server running = server;
    server = null;
    draining = running;
    return running;
  }

  private void drain(Server stopping) {
    log.info("draining: no new calls; calls in flight have {} ms to finish", grace.toMillis());
    standard.draining(serviceNames);
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("calls still running after {} ms; cancelling them", grace.toMillis());
        stopping.shutdownNow();
        if (!stopping.awaitTermination(FORCED.toNanos(), TimeUnit.NANOSECONDS)) {
          log.warn("the server did not terminate {} s after cancelling", FORCED.toSeconds());
        }
      }
      log.info("stopped");
    } catch (InterruptedException e) {
      stopping.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
