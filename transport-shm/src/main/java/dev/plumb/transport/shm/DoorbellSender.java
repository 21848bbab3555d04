package dev.plumb.transport.shm;

import dev.plumb.rpc.kit.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection's doorbell bytes over the rendezvous socket from a thread of its own, so
 * that the threads that ask for them never block on the socket: a flusher (which may hold the
 * core's session lock) and the reader. A peer that stops reading its socket fills the socket's
 * buffer; then only this thread waits, until closing the socket ends its write.
 *
 * <p>Requests are coalesced: at most one byte of each kind is pending, and a byte sent after
 * the last request is all a sleeper needs, because a woken reader (writer) polls everything
 * the ring holds (re-checks its room) before it announces again.
 */
final class DoorbellSender {
  private static final Logger log = LoggerFactory.getLogger(DoorbellSender.class);
  private static final int DATA = 1;
  private static final int SPACE = 2;

  private final String name;
  private final OutputStream out;
  private final Thread thread;
  /** The kinds asked for and not yet taken by the thread (DATA, SPACE bits). */
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean stopped;

  DoorbellSender(String name, OutputStream out) {
    this.name = name;
    this.out = out;
    this.thread = DaemonThreads.newThread(name + "-doorbell", this::sendLoop);
  }

  void start() {
    thread.start();
  }

  /** Asks for {@code doorbell} to be sent; never blocks. Any thread. */
  void request(byte doorbell) {
    int kind = doorbell == ShmConnection.DOORBELL_DATA ? DATA : SPACE;
    // Only the request that finds nothing pending unparks: the thread takes every pending bit
    // at once, after which the next request finds 0 again. An unpark before the thread parks
    // leaves a permit, so no request is lost.
    if (pending.getAndAccumulate(kind, (bits, bit) -> bits | bit) == 0) {
      LockSupport.unpark(thread);
    }
  }

  /** Lets the thread end; one blocked in a write ends when the caller closes the socket. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  Thread thread() {
    return thread;
  }

  private void sendLoop() {
    byte[] bytes = new byte[2];
    while (!stopped) {
      int bits = pending.getAndSet(0);
      if (bits == 0) {
        LockSupport.park(this);
        continue;
      }
      int length = 0;
      if ((bits & DATA) != 0) {
        bytes[length++] = ShmConnection.DOORBELL_DATA;
      }
      if ((bits & SPACE) != 0) {
        bytes[length++] = ShmConnection.DOORBELL_SPACE;
      }
      try {
        out.write(bytes, 0, length);
      } catch (IOException e) {
        // The watcher sees the same broken socket and reports it.
        log.debug("{}: doorbell not sent: {}", name, e.getMessage());
        return;
      }
    }
  }
}
