package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a client's connect yields when the server refused it (access control): the server's
 * GO_AWAY, already read off the rendezvous socket (which is closed by then), delivered in
 * place of HELLO, then the end of the link. The core takes a GO_AWAY before HELLO as a
 * refusal and fails the connection attempt with its code and reason (PERMISSION_DENIED).
 */
final class RefusedConnection implements Connection {
  private final String name;
  private final Frame goAway;
  private final Attributes attributes;
  private final AtomicBoolean closed = new AtomicBoolean();

  RefusedConnection(String name, Frame goAway, Attributes attributes) {
    this.name = name;
    this.goAway = goAway;
    this.attributes = attributes;
  }

  @Override
  public void start(ConnectionHandler handler) {
    // On a thread of its own, as a reader thread would: never inside the caller's locks.
    Thread thread = new Thread(() -> {
      handler.onFrame(goAway);
      if (closed.compareAndSet(false, true)) {
        handler.onClosed(Status.UNAVAILABLE.withDescription(name + ": the server refused the"
            + " connection"));
      }
    }, "plumb-" + name + "-refused");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void write(Frame frame) {
    // The link is gone; nothing is sent.
  }

  @Override
  public void flush() {
  }

  @Override
  public void close(Status reason) {
    // The socket was closed when the refusal was read; onClosed comes from start's thread.
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }
}
