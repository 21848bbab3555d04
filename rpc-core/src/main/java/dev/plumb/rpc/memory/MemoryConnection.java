package dev.plumb.rpc.memory;

import dev.plumb.rpc.frame.Frame;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of an in-memory link. A write puts the frame in the peer's inbox; a flush schedules
 * the peer's delivery task, which hands inbox frames to the peer's handler in order on a
 * pooled thread. Delivering on another thread, never the writer's, keeps the two sessions'
 * locks apart as two processes' would be.
 */
final class MemoryConnection implements Connection {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "plumb-mem-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  private final Attributes attributes;
  private final ConcurrentLinkedQueue<Frame> inbox = new ConcurrentLinkedQueue<>();
  private final SerializingExecutor delivery = new SerializingExecutor(POOL);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean notified = new AtomicBoolean();
  private MemoryConnection peer;
  /** Written and read only by tasks of {@link #delivery}, which runs one at a time. */
  private ConnectionHandler handler;
  private Status closeBeforeStart;

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
    delivery.execute(() -> {
      this.handler = handler;
      deliver();
      if (closeBeforeStart != null) {
        notifyClosed(closeBeforeStart);
      }
    });
  }

  @Override
  public void write(Frame frame) {
    if (!closed.get()) {
      peer.inbox.add(frame);
    }
  }

  @Override
  public void flush() {
    if (!closed.get()) {
      peer.delivery.execute(peer::deliver);
    }
  }

  @Override
  public void close(Status reason) {
    if (closed.compareAndSet(false, true)) {
      delivery.execute(() -> notifyClosed(reason));
      peer.peerClosed(reason);
    }
  }

  private void peerClosed(Status reason) {
    // Frames the peer wrote before closing are still delivered, then the end of the link.
    delivery.execute(() -> {
      deliver();
      closed.set(true);
      notifyClosed(Status.UNAVAILABLE.withDescription("peer closed the connection"
          + (reason.getDescription() == null ? "" : ": " + reason.getDescription())));
    });
  }

  private void deliver() {
    ConnectionHandler h = handler;
    if (h == null) {
      return;
    }
    Frame frame;
    while (!notified.get() && (frame = inbox.poll()) != null) {
      h.onFrame(frame);
    }
  }

  private void notifyClosed(Status status) {
    ConnectionHandler h = handler;
    if (h == null) {
      closeBeforeStart = status;
    } else if (notified.compareAndSet(false, true)) {
      inbox.clear();
      h.onClosed(status);
    }
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }
}
