package dev.plumb.rpc.kit;

import dev.plumb.rpc.spi.Descriptors;
import java.io.FileDescriptor;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Descriptors a link received from its peer ({@code SCM_RIGHTS}), in the order they came,
 * until the ATTACH frames that name them take them ({@code Connection.takeDescriptors}).
 *
 * <p>Threads meet here under this object's monitor, which no other lock nests in and under
 * which nothing calls out. In {@code shm:} the watcher adds what each read of the rendezvous
 * socket brought, and the ring's reader, which can meet an ATTACH record before its
 * descriptors came, waits here ({@link #await}) before it hands the frame to the core, outside
 * every lock of the core. In {@link BlockingStreamConnection} the reader both adds and takes.
 */
public final class ReceivedDescriptors {
  private final ArrayDeque<FileDescriptor> unclaimed = new ArrayDeque<>();
  private boolean closed;

  /**
   * Files what one read of the link brought.
   *
   * @param limit the most descriptors that may wait unclaimed
   * @return false, having closed {@code descriptors}, if they would make more than
   *     {@code limit} wait unclaimed; true otherwise (also when the connection has ended,
   *     which closes them)
   */
  public synchronized boolean add(FileDescriptor[] descriptors, int limit) {
    if (closed) {
      Descriptors.close(descriptors, 0);
      return true;
    }
    if (descriptors.length > limit - unclaimed.size()) {
      Descriptors.close(descriptors, 0);
      return false;
    }
    for (FileDescriptor descriptor : descriptors) {
      unclaimed.add(descriptor);
    }
    notifyAll();
    return true;
  }

  /** How many wait unclaimed now. */
  public synchronized int size() {
    return unclaimed.size();
  }

  /**
   * Waits until at least {@code count} descriptors wait unclaimed, the connection ends,
   * or {@code timeoutNanos} passed.
   *
   * @return whether {@code count} are here
   */
  public synchronized boolean await(int count, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      while (!closed && unclaimed.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return unclaimed.size() >= count;
  }

  /**
   * The next {@code count} descriptors, now, or null if fewer wait (the rest stay). The caller
   * owns what it takes.
   */
  public synchronized FileDescriptor[] take(int count) {
    if (unclaimed.size() < count) {
      return null;
    }
    FileDescriptor[] taken = new FileDescriptor[count];
    for (int i = 0; i < count; i++) {
      taken[i] = unclaimed.poll();
    }
    return taken;
  }

  /** The connection ended: closes what nobody claimed, and what comes later; wakes a waiter. */
  public synchronized void close() {
    closed = true;
    unclaimed.forEach(Descriptors::close);
    unclaimed.clear();
    notifyAll();
  }
}
