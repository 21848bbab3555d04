package dev.plumb.benchmarks.link;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Listener;
import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.rpc.spi.PlumbTransport;
import io.grpc.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Both ends of one link of a Plumb transport in this JVM, connected through the transport's
 * public API (listen, connect) as the core would, and not started yet.
 */
final class LinkPair implements AutoCloseable {
  final Listener listener;
  final Connection client;
  final Connection server;

  private LinkPair(Listener listener, Connection client, Connection server) {
    this.listener = listener;
    this.client = client;
    this.server = server;
  }

  /** Listens on {@code target} (e.g. {@code unix:///tmp/x.sock}) and connects to it. */
  static LinkPair open(String target) throws Exception {
    PlumbAddress address = TransportRegistry.getDefault().parse(target);
    PlumbTransport transport = TransportRegistry.getDefault().transportFor(address);
    BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    Listener listener = transport.listen(address, accepted::add);
    Connection client = transport.connect(listener.boundAddress()).get(10, TimeUnit.SECONDS);
    Connection server = accepted.poll(10, TimeUnit.SECONDS);
    if (server == null) {
      throw new IllegalStateException(target + ": the listener accepted nothing within 10 s");
    }
    return new LinkPair(listener, client, server);
  }

  @Override
  public void close() {
    client.close(Status.CANCELLED);
    server.close(Status.CANCELLED);
    listener.close();
  }
}
