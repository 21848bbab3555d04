package dev.plumb.transport.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The servers that {@link PlumbGrpcServerBuilder} made, one Plumb server for every Plumb
 * address and a grpc-netty server per gRPC address, all with the same services, as one
 * {@link Server}: they start together (all or none), {@link #shutdown()} drains them all,
 * {@link #shutdownNow()} cancels on all, and {@link #awaitTermination} waits for all within
 * one deadline.
 *
 * <p>Thread-safe as its servers are: every method only forwards.
 */
final class PlumbGrpcServer extends Server {
  /** Where each listen address, in the order given, is served: which server, which socket. */
  record Listening(Server server, int socket, GrpcListenAddress grpcAddress) {}

  private final List<Server> servers;
  private final List<Listening> listening;
  /** The event loops of the grpc+unix: listeners, or null if there are none. */
  private final UnixEventLoops unixLoops;

  PlumbGrpcServer(List<Server> servers, List<Listening> listening, UnixEventLoops unixLoops) {
    this.servers = List.copyOf(servers);
    this.listening = List.copyOf(listening);
    this.unixLoops = unixLoops;
  }

  /**
   * Starts every server, in the order the addresses came; if one cannot listen, those already
   * started are stopped at once before its exception is thrown.
   */
  @Override
  public PlumbGrpcServer start() throws IOException {
    try {
      for (Server server : servers) {
        start(server);
      }
    } catch (IOException | RuntimeException e) {
      shutdownNow();
      throw e;
    }
    return this;
  }

  /**
   * Starts one server. grpc-netty's bind failure says "Failed to bind to address /127.0.0.1:..."
   * with the reason in its cause; it is said here as Plumb's listeners say theirs: the address
   * as given, then why.
   */
  private void start(Server server) throws IOException {
    GrpcListenAddress grpcAddress = listening.stream()
        .filter(listen -> listen.server() == server && listen.grpcAddress() != null)
        .map(Listening::grpcAddress).findFirst().orElse(null);
    try {
      server.start();
    } catch (IOException e) {
      if (grpcAddress == null) {
        throw e;
      }
      Throwable reason = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot listen on " + grpcAddress + ": " + reason.getMessage(), e);
    }
  }

  /** The first address's port, as {@link Server#getPort}; -1 if it has none. */
  @Override
  public int getPort() {
    Listening first = listening.get(0);
    return first.server().getPort();
  }

  /**
   * Every listen address in the order given, as bound: Plumb's {@code PlumbAddress}es and
   * {@link GrpcListenAddress}es, a port 0 as the real port.
   */
  @Override
  public List<? extends SocketAddress> getListenSockets() {
    List<SocketAddress> sockets = new ArrayList<>();
    for (Listening listen : listening) {
      SocketAddress bound = listen.server().getListenSockets().get(listen.socket());
      sockets.add(listen.grpcAddress() == null ? bound : listen.grpcAddress().bound(bound));
    }
    return sockets;
  }

  @Override
  public List<ServerServiceDefinition> getServices() {
    return servers.get(0).getServices();
  }

  @Override
  public List<ServerServiceDefinition> getImmutableServices() {
    return servers.get(0).getImmutableServices();
  }

  @Override
  public List<ServerServiceDefinition> getMutableServices() {
    return servers.get(0).getMutableServices();
  }

  @Override
  public PlumbGrpcServer shutdown() {
    servers.forEach(Server::shutdown);
    closeLoopsOnceTerminated();
    return this;
  }

  @Override
  public PlumbGrpcServer shutdownNow() {
    servers.forEach(Server::shutdownNow);
    closeLoopsOnceTerminated();
    return this;
  }

  private void closeLoopsOnceTerminated() {
    if (unixLoops != null) {
      unixLoops.closeAfter(servers);
    }
  }

  @Override
  public boolean isShutdown() {
    return servers.stream().allMatch(Server::isShutdown);
  }

  @Override
  public boolean isTerminated() {
    return servers.stream().allMatch(Server::isTerminated)
        && (unixLoops == null || unixLoops.isClosed());
  }

  /** Waits for every server, then for the event loops of grpc+unix: listeners, if any. */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (Server server : servers) {
      if (!server.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return unixLoops == null
        || unixLoops.awaitClosed(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    for (Server server : servers) {
      server.awaitTermination();
    }
    if (unixLoops != null) {
      unixLoops.awaitClosed(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }
  }
}
