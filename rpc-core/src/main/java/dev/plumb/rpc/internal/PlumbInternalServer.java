package dev.plumb.rpc.internal;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.InternalChannelz.SocketStats;
import io.grpc.InternalInstrumented;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.internal.InternalServer;
import io.grpc.internal.ServerListener;
import io.grpc.internal.SharedResourcePool;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC's view of a Plumb server: one listener per listen address, a transport per admitted
 * peer. Every listener hands its accepted connections to {@link #accept}, where the server's
 * connection limits admit them or refuse them, whatever the transport.
 */
public final class PlumbInternalServer implements InternalServer {
  private static final Logger log = LoggerFactory.getLogger(PlumbInternalServer.class);

  private final TransportRegistry registry;
  private final List<ListenSecurity.Address> addresses;
  private final ProtocolSettings settings;
  private final List<? extends ServerStreamTracer.Factory> tracerFactories;
  private final ConnectionLimits limits;
  private final ConnectionAdmission admission;
  private final ConnectionRefuser refuser;
  private final List<Listener> listeners = new ArrayList<>();
  private ServerListener serverListener;
  private boolean shutdown;

  public PlumbInternalServer(TransportRegistry registry, List<ListenSecurity.Address> addresses,
      ProtocolSettings settings, ConnectionLimits limits,
      List<? extends ServerStreamTracer.Factory> tracerFactories) {
    this.registry = registry;
    this.addresses = List.copyOf(addresses);
    this.settings = settings;
    this.tracerFactories = tracerFactories;
    this.limits = limits;
    this.admission = new ConnectionAdmission(limits);
    this.refuser = new ConnectionRefuser(SharedResourcePool.forResource(CoalescingScheduler.SHARED),
        settings.handshakeTimeoutNanos(), settings.maxFrameSize());
  }

  @Override
  public void start(ServerListener listener) throws IOException {
    this.serverListener = listener;
    try {
      for (ListenSecurity.Address listen : addresses) {
        PlumbAddress address = listen.address();
        Listener bound = listen.security().listen(registry.transportFor(address), address,
            this::accept);
        synchronized (this) {
          listeners.add(bound);
        }
        log.info("listening on {}", bound.boundAddress());
      }
    } catch (IOException | RuntimeException e) {
      closeListeners();
      throw e;
    }
  }

  private void accept(Connection connection) {
    synchronized (this) {
      if (shutdown) {
        connection.close(Status.UNAVAILABLE.withDescription("server is shutting down"));
        return;
      }
    }
    String peer = limits.peerOf.apply(connection.attributes());
    Status refusal = admission.admit(peer);
    if (refusal != null) {
      refuser.refuse(connection, refusal);
      return;
    }
    Connection admitted = new AdmittedConnection(connection, () -> admission.release(peer));
    PlumbServerTransport transport = new PlumbServerTransport(admitted, settings,
        tracerFactories, SharedResourcePool.forResource(CoalescingScheduler.SHARED),
        System::nanoTime);
    transport.start(serverListener.transportCreated(transport));
  }

  @Override
  public void shutdown() {
    synchronized (this) {
      if (shutdown) {
        return;
      }
      shutdown = true;
    }
    closeListeners();
    if (serverListener != null) {
      serverListener.serverShutdown();
    }
  }

  private void closeListeners() {
    List<Listener> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(listeners);
      listeners.clear();
    }
    for (Listener listener : toClose) {
      listener.close();
    }
  }

  /**
   * Its addresses, bound once it listens: gRPC's server names itself by this, and channelz
   * shows that name for the server, so that a tool can tell servers apart.
   */
  @Override
  public String toString() {
    return "PlumbInternalServer" + getListenSocketAddresses();
  }

  @Override
  public SocketAddress getListenSocketAddress() {
    return getListenSocketAddresses().get(0);
  }

  @Override
  public synchronized List<? extends SocketAddress> getListenSocketAddresses() {
    List<PlumbAddress> bound = new ArrayList<>();
    for (Listener listener : listeners) {
      bound.add(listener.boundAddress());
    }
    if (bound.isEmpty()) {
      for (ListenSecurity.Address listen : addresses) {
        bound.add(listen.address());
      }
    }
    return bound;
  }

  @Override
  public InternalInstrumented<SocketStats> getListenSocketStats() {
    return null;
  }

  @Override
  public List<InternalInstrumented<SocketStats>> getListenSocketStatsList() {
    return null;
  }
}
