package dev.plumb.rpc.kit;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Status;

/**
 * What a client's connect yields when the connection was refused before its handshake, its
 * link already closed: a GO_AWAY ({@link Refusal#goAway}) delivered in place of HELLO, then the
 * end of the link. The core takes a GO_AWAY before HELLO as a refusal and fails the connection
 * attempt with its code and reason (PERMISSION_DENIED, say), where a failed connect would give
 * only UNAVAILABLE. For a server's refusal that a transport read off its link itself
 * ({@code shm:}'s rendezvous), and for a server the client itself does not trust
 * ({@code unix-abstract:}'s identity check).
 */
public final class RefusedConnection implements Connection {
  private final String name;
  private final Frame goAway;
  private final Attributes attributes;
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();

  /**
   * @param name the link, for thread names and the close reason
   * @param goAway the refusal, delivered as the first frame
   */
  public RefusedConnection(String name, Frame goAway, Attributes attributes) {
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
      lifecycle.notifyClosed(Status.UNAVAILABLE.withDescription(name + ": refused before the"
          + " handshake"));
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
    // The link was closed before this was made: nothing to free. After start, the
    // refusal's thread tells the handler; before it, start does.
    lifecycle.close(reason);
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }
}
