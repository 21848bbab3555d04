package dev.plumb.transport.shm;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import dev.plumb.transport.unix.UnixListener;
import dev.plumb.transport.unix.UnixTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code shm:}: the Plumb protocol over two single-producer/single-consumer rings in a
 * shared-memory segment per connection, set up over a Unix socket (the rendezvous) that
 * {@code unix:}'s listener guards: mode 0600, peer credentials, allow-lists, refusal with
 * PERMISSION_DENIED. The socket then carries only doorbell bytes for sleeping threads, and its
 * end-of-file tells each side that the other is gone. See {@link Rendezvous},
 * {@link SegmentDescriptor}, {@link ShmConnection}; docs/TRANSPORTS.md for users.
 */
public final class ShmTransport implements PlumbTransport {
  private static final AtomicInteger CONNECT_THREADS = new AtomicInteger();
  /** Connects and handshakes run here; they block for at most the connect and handshake timeouts. */
  private static final ExecutorService CONNECTS = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      10, TimeUnit.SECONDS, new SynchronousQueue<>(), body -> {
        Thread thread = new Thread(body, "plumb-shm-connect-" + CONNECT_THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

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
    CompletableFuture<Connection> result = new CompletableFuture<>();
    CONNECTS.execute(() -> {
      if (result.isDone()) {
        return;
      }
      try {
        Rendezvous.Connected connected = Rendezvous.connect(endpoint);
        if (!result.complete(connected.connection)) {
          // Cancelled meanwhile: the connection was never started, so no thread of it runs;
          // closing the socket frees it (the mapping goes with the garbage).
          UnixTransport.closeQuietly(connected.socket);
        }
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e instanceof IOException ? e
            : new IOException(endpoint.describe() + ": " + e, e));
      }
    });
    return result;
  }

  @Override
  public Listener listen(PlumbAddress address, Consumer<Connection> onAccept) throws IOException {
    ShmEndpoint endpoint = ShmEndpoint.parse(address.uri());
    Segment.sweep();
    return UnixListener.open(endpoint.socket, (socket, peer, local, remote) -> {
      Connection connection = Rendezvous.accept(endpoint, socket, peer, local, remote);
      if (connection != null) {
        onAccept.accept(connection);
      }
    });
  }
}
