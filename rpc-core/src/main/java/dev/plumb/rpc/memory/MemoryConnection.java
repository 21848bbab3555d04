package dev.plumb.rpc.memory;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.kit.ConnectionLifecycle;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Status;
import io.grpc.internal.SerializingExecutor;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One end of an in-memory link. A write puts the frame in the peer's inbox; a flush schedules
 * the peer's delivery task, which hands inbox frames to the peer's handler in order on a
 * pooled thread. Delivering on another thread, never the writer's, keeps the two sessions'
 * locks apart as two processes' would be. Frames count as sent
 * ({@link ConnectionHandler#onSent}) once the peer's handler has taken them.
 */
final class MemoryConnection implements Connection {
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(DaemonThreads.numbered("plumb-mem-"));

  private final Attributes attributes;
  private final ConcurrentLinkedQueue<Frame> inbox = new ConcurrentLinkedQueue<>();
  private final SerializingExecutor delivery = new SerializingExecutor(POOL);
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private MemoryConnection peer;
  /** Set once started; written and read only by tasks of {@link #delivery}, one at a time. */
  private ConnectionHandler handler;
  /**
   * The same handler, set by start itself (before this end writes anything): the peer's
   * delivery tells it what was taken, and may run before this end's start task has.
   */
  private volatile ConnectionHandler writerHandler;

  MemoryConnection(SocketAddress local, SocketAddress remote) {
    attributes = Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, local)
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote)
        .build();
  }

  static void link(MemoryConnection a, MemoryConnection b) {
    a.peer = b;
    b.peer = a;
  }

  @Override
  public void start(ConnectionHandler handler) {
    writerHandler = handler;
    delivery.execute(() -> {
      // Closed first: the lifecycle has told the handler, and nothing is delivered.
      if (lifecycle.start(handler)) {
        this.handler = handler;
        deliver();
        if (lifecycle.isEnding()) {
          notifyClosed();  // The peer closed before this end started.
        }
      }
    });
  }

  @Override
  public void write(Frame frame) {
    if (!lifecycle.isEnding()) {
      peer.inbox.add(frame);
    }
  }

  @Override
  public void flush() {
    if (!lifecycle.isEnding()) {
      peer.delivery.execute(peer::deliver);
    }
  }

  @Override
  public void close(Status reason) {
    if (lifecycle.isEnding()) {
      return;  // Closed already, or the peer closed: both ends know.
    }
    if (!lifecycle.close(reason)) {
      delivery.execute(this::notifyClosed);
    }
    peer.peerClosed(reason);
  }

  private void peerClosed(Status reason) {
    // Frames the peer wrote before closing are still delivered, then the end of the link.
    delivery.execute(() -> {
      deliver();
      lifecycle.end(Status.UNAVAILABLE.withDescription("peer closed the connection"
          + (reason.getDescription() == null ? "" : ": " + reason.getDescription())));
      notifyClosed();
    });
  }

  private void deliver() {
    ConnectionHandler h = handler;
    if (h == null) {
      return;
    }
    Frame frame;
    long taken = 0;
    while (!lifecycle.isClosed() && (frame = inbox.poll()) != null) {
      taken += frame.wireLength();
      h.onFrame(frame);
    }
    if (taken == 0) {
      return;
    }
    h.onReadComplete();
    ConnectionHandler writer = peer.writerHandler;
    if (writer != null) {
      writer.onSent(taken);
    }
  }

  /** A delivery task: once started, tells the handler why the link ended (once). */
  private void notifyClosed() {
    if (handler != null && !lifecycle.isClosed()) {
      inbox.clear();
      lifecycle.notifyClosed(lifecycle.reasonOr(Status.UNAVAILABLE));
    }
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }
}
