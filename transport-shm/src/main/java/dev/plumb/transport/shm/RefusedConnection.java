package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.kit.ConnectionLifecycle;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Status;

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
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();

  RefusedConnection(String name, Frame goAway, Attributes attributes) {
    this.name = name;
    this.goAway = goAway;
    this.attributes = attributes;
  }

  @Override
  public void start(ConnectionHandler handler) {
    if (!lifecycle.start(handler)) {
      return;  // Closed first: the handler heard why; the refusal goes unread.
    }
    // On a thread of its own, as a reader thread would: never inside the caller's locks.
    DaemonThreads.newThread("plumb-" + name + "-refused", () -> {
      handler.onFrame(goAway);
      lifecycle.notifyClosed(Status.UNAVAILABLE.withDescription(name + ": the server refused"
          + " the connection"));
    }).start();
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
    // The socket was closed when the refusal was read: nothing to free. After start, the
    // refusal's thread tells the handler; before it, start does.
    lifecycle.close(reason);
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }
}
