package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A transport's listener for tests of its links, keeping what it accepts: {@link #connect}
 * gives both ends of a new connection, {@link #nextAccepted} the end of one that a peer
 * elsewhere (a child process) made. Neither end is started. Closing it closes every connection
 * it handed out, then the listener. One test thread at a time.
 */
public final class AcceptingListener implements AutoCloseable {
  /** How long a connect, or the accept it waits for, may take before the test fails. */
  private static final long WAIT_SECONDS = 10;

  private final PlumbTransport transport;
  private final Listener listener;
  private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
  private final List<Connection> handedOut = new ArrayList<>();

  private AcceptingListener(PlumbTransport transport, PlumbAddress address) throws IOException {
    this.transport = transport;
    this.listener = transport.listen(address, accepted::add);
  }

  /** Listens on {@code address} (e.g. {@code shm:///tmp/x.sock?ringSize=64k}). */
  public static AcceptingListener on(String address) throws IOException {
    PlumbAddress parsed = TransportRegistry.getDefault().parse(address);
    return new AcceptingListener(TransportRegistry.getDefault().transportFor(parsed), parsed);
  }

  public PlumbTransport transport() {
    return transport;
  }

  public Listener listener() {
    return listener;
  }

  /** Both ends of a new connection to the listener, the client's first. */
  public Ends connect() throws Exception {
    Connection client = transport.connect(listener.boundAddress())
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    handedOut.add(client);
    return new Ends(client, nextAccepted());
  }

  /** The next connection the listener accepts; fails the test if none comes in time. */
  public Connection nextAccepted() throws InterruptedException {
    Connection server = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(server, "the listener accepted nothing within " + WAIT_SECONDS + " s");
    handedOut.add(server);
    return server;
  }

  /** The two ends of one connection. */
  public record Ends(Connection client, Connection server) {}

  @Override
  public void close() {
    for (Connection connection : handedOut) {
      connection.close(Status.CANCELLED.withDescription("test over"));
    }
    listener.close();
  }
}
