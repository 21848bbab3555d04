package dev.plumb.rpc.kit;

import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How a {@link Connection} ends, kept the same way by every transport: whether start or close
 * came first ({@link StartGate}), why it ends (the first reason given wins, as
 * {@link Connection#close} promises), and telling the handler
 * {@link ConnectionHandler#onClosed} exactly once. A connection holds one and asks it; its
 * threads, queue and link stay its own.
 *
 * <p>Who calls what: {@link #start} from {@code Connection.start}, {@link #close} from
 * {@code Connection.close}, {@link #end} from whatever sees the link die, {@link #notifyClosed}
 * from the one place that finishes the connection (a writer thread, a delivery task), only
 * after {@link #start} returned true. Every method is safe from any thread.
 *
 * <p>Why that is safe: the reason is set by compare-and-set, so the first reason wins even if a
 * close and a failure race; the handler is told by the thread that wins the compare-and-set of
 * the closed flag, so exactly once. The handler is a volatile field written before the gate
 * opens, and {@link #notifyClosed} is called only once {@link #start} has returned, so it sees
 * the handler. The per-frame
 * checks, {@link #isEnding} and {@link #isClosed}, are one volatile read each: no lock, no
 * allocation.
 */
public final class ConnectionLifecycle {
  private final StartGate gate = new StartGate();
  private final AtomicReference<Status> reason = new AtomicReference<>();
  private final AtomicBoolean closedNotified = new AtomicBoolean();
  private volatile ConnectionHandler handler;

  /**
   * From {@code Connection.start}: remembers {@code handler}. Returns true if the connection may
   * start; false if it was closed first, in which case the handler has just heard
   * {@code onClosed} with the close's reason, and nothing is to be started.
   */
  public boolean start(ConnectionHandler handler) {
    this.handler = handler;
    if (gate.start()) {
      return true;
    }
    notifyClosed(reason.get());  // close() set the reason before it shut the gate.
    return false;
  }

  /**
   * From {@code Connection.close}: records {@code reason} unless the connection already ends for
   * another. Returns true if the connection never started: no thread of it will free its link,
   * so the caller frees it now (and {@link #start}, if it still comes, reports the close).
   */
  public boolean close(Status reason) {
    end(reason);
    return gate.closeBeforeStart();
  }

  /** The link is going down for {@code reason} (it failed, or the peer ended it), unless it already is. */
  public void end(Status reason) {
    this.reason.compareAndSet(null, reason);
  }

  /** Whether {@link #close} or {@link #end} was called: the connection is going down. */
  public boolean isEnding() {
    return reason.get() != null;
  }

  /** Why the connection ends, or {@code otherwise} if nothing said why. */
  public Status reasonOr(Status otherwise) {
    Status known = reason.get();
    return known != null ? known : otherwise;
  }

  /** Whether the handler has heard {@code onClosed}: no frame may reach it any more. */
  public boolean isClosed() {
    return closedNotified.get();
  }

  /** Tells the handler {@code onClosed(status)} the first time; later calls do nothing. */
  public void notifyClosed(Status status) {
    notifyClosed(() -> status);
  }

  /**
   * As {@link #notifyClosed(Status)}, with the status computed only by the call that tells the
   * handler: for a status that takes a look at the link (how a child process ended, say).
   */
  public void notifyClosed(Supplier<Status> status) {
    if (closedNotified.compareAndSet(false, true)) {
      handler.onClosed(status.get());
    }
  }
}
