package dev.plumb.transport.shm;

import dev.plumb.rpc.kit.BlockingConnector;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code shm:}: the Plumb protocol over two single-producer/single-consumer rings in a
 * shared-memory segment per connection, set up over a Unix socket (the rendezvous) that
 * {@code unix:}'s rendezvous ({@link dev.plumb.transport.unix.UnixRendezvous}) guards: mode 0600, peer credentials, allow-lists, refusal with
 * PERMISSION_DENIED. The socket then carries only doorbell bytes for sleeping threads, and its
 * end-of-file tells each side that the other is gone. See {@link Rendezvous},
 * {@link SegmentDescriptor}, {@link ShmConnection}; docs/TRANSPORTS.md for users.
 */
public final class ShmTransport implements PlumbTransport {
  private static final BlockingConnector CONNECTS = new BlockingConnector("shm");

  @Override
  public Set<String> schemes() {
    return Set.of(ShmEndpoint.SCHEME);
  }

  @Override
  public PlumbAddress parse(URI uri) {
    return ShmEndpoint.parse(uri).canonical();
  }

  @Override
  public CompletableFuture<Connection> connect(PlumbAddress address) {
    ShmEndpoint endpoint = ShmEndpoint.parse(address.uri());
    return CONNECTS.connect(endpoint.describe(), () -> Rendezvous.connect(endpoint));
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    ShmEndpoint endpoint = ShmEndpoint.parse(address.uri());
    Segment.sweep();
    return endpoint.socket.listen((socket, peer, local, remote) -> {
      Connection connection = Rendezvous.accept(endpoint, socket, peer, local, remote);
      if (connection != null) {
        onAccept.accept(connection);
      }
    });
  }
}
