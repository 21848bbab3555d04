package dev.plumb.rpc.memory;

import dev.plumb.rpc.kit.UriOptions;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
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
    String raw = uri.getRawSchemeSpecificPart();
    if (!uri.isOpaque() || raw == null || raw.isEmpty() || raw.startsWith("?")) {
      throw new IllegalArgumentException("'" + uri + "' is not a mem: address; expected mem:NAME");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + uri + "' has a fragment (#...), which a mem:"
          + " address has none of; expected mem:NAME");
    }
    int query = raw.indexOf('?');
    if (query >= 0) {
      // mem: has no options; name the key a user tried rather than take it into the name.
      UriOptions.parse(raw.substring(query + 1), true, uri.toString(), List.of());
      raw = raw.substring(0, query);
    }
    String name = URI.create("mem:" + raw).getSchemeSpecificPart();
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
