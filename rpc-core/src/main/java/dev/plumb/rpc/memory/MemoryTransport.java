package dev.plumb.rpc.memory;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The reference transport: both ends in one JVM, frames handed over as objects ({@code mem:name}).
 * It runs through the same conformance suites as the real transports, so a failure there that
 * does not show here points at the transport, not at the core or the suite.
 */
public final class MemoryTransport implements PlumbTransport {
  private static final ConcurrentMap<String, MemoryListener> LISTENERS = new ConcurrentHashMap<>();
  private static final AtomicLong CLIENTS = new AtomicLong();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public PlumbAddress parse(URI uri) {
    String name = uri.getSchemeSpecificPart();
    if (!uri.isOpaque() || name == null || name.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' is not a mem: address; expected mem:NAME");
    }
    try {
      return new PlumbAddress(new URI("mem", name, null));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("'" + uri + "' is not a mem: address: " + e.getMessage());
    }
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    MemoryListener listener = LISTENERS.get(address.uri().getSchemeSpecificPart());
    if (listener == null) {
      return CompletableFuture.failedFuture(
          new ConnectException("no Plumb server listens on " + address));
    }
    SocketAddress clientAddress = new PlumbAddress(
        URI.create(address + "?client=" + CLIENTS.incrementAndGet()));
    MemoryConnection client = new MemoryConnection(clientAddress, address);
    MemoryConnection server = new MemoryConnection(address, clientAddress);
    MemoryConnection.link(client, server);
    listener.onAccept.accept(server);
    return CompletableFuture.completedFuture(client);
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    String name = address.uri().getSchemeSpecificPart();
    MemoryListener listener = new MemoryListener(address, onAccept);
    if (LISTENERS.putIfAbsent(name, listener) != null) {
      throw new IOException("address already in use: " + address);
    }
    return listener;
  }

  private static final class MemoryListener implements Listener {
    private final PlumbAddress address;
    private final Consumer<Connection> onAccept;

    MemoryListener(PlumbAddress address, Consumer<Connection> onAccept) {
      this.address = address;
      this.onAccept = onAccept;
    }

    @Override
    public PlumbAddress boundAddress() {
      return address;
    }

    @Override
    public SocketAddress localSocketAddress() {
      return address;
    }

    @Override
    public void close() {
      LISTENERS.remove(address.uri().getSchemeSpecificPart(), this);
    }
  }
}
