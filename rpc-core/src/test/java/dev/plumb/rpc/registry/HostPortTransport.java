package dev.plumb.rpc.registry;

import dev.plumb.rpc.kit.UriOptions;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A transport of {@code hp://HOST:PORT} addresses with one option, {@code mode}, that connects
 * nowhere: what the registry and the name resolver need of a transport like {@code tcp:}, in
 * the core's own tests.
 */
final class HostPortTransport implements PlumbTransport {
  @Override
  public Set<String> schemes() {
    return Set.of("hp");
  }

  @Override
  public boolean hostPortAddresses() {
    return true;
  }

  @Override
  public PlumbAddress parse(URI uri) {
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("'" + uri + "': expected hp://HOST:PORT");
    }
    String mode = UriOptions.parse(uri.getRawQuery(), true, uri.toString(), List.of("mode"))
        .get("mode");
    return new PlumbAddress(URI.create("hp://" + uri.getRawAuthority()
        + (mode == null ? "" : "?mode=" + mode)));
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    throw new UnsupportedOperationException("connects nowhere");
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) {
    throw new UnsupportedOperationException("listens nowhere");
  }

  /** A registry of this transport and {@code mem:}. */
  static TransportRegistry registry() {
    return new TransportRegistry(List.of(new HostPortTransport(),
        new dev.plumb.rpc.memory.MemoryTransport()));
  }
}
