package dev.plumb.rpc.kit;

import dev.plumb.rpc.spi.Connection;

/**
 * Decides, for a {@link Connection}, whether {@link Connection#start} or
 * {@link Connection#close} came first; the two may race on different threads. A connection
 * closed before it started (a connect the client transport abandoned) has no threads that
 * would free its link, so its {@code close} frees it at once; a connection started after it was
 * closed reports its death at once, without starting anything.
 */
public final class StartGate {
  private boolean started;
  private boolean closedFirst;

  /** Call from {@code start}: true if the connection may start, false if it was closed first. */
  public synchronized boolean start() {
    started = true;
    return !closedFirst;
  }

  /** Call from {@code close}: true if the connection never started, so the caller frees it. */
  public synchronized boolean closeBeforeStart() {
    if (!started) {
      closedFirst = true;
    }
    return !started;
  }
}
