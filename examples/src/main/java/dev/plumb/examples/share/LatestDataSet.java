package dev.plumb.examples.share;

import dev.plumb.shared.SharedBuffer;
import dev.plumb.shared.proto.SharedBytes;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's shared buffer for {@code Lend}: the latest data set asked for, made once
 * however many calls ask for it at the same time. The first call that names a data set makes it
 * on its own thread; calls that name it meanwhile wait for that making, not one of their own. A
 * call that names another data set replaces it, and the old buffer is closed once no call uses
 * it any more. A call uses it from {@link #lease} until it closes its {@link Lease}, after it has
 * sent the reference: the attachment path keeps a descriptor of its own for what was sent.
 *
 * <p>Thread-safe. The monitor guards the bookkeeping only: making, closing a buffer and
 * completing a {@link Lease#made} future (which runs the waiting calls' gRPC callbacks) all
 * happen after it is released.
 */
final class LatestDataSet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LatestDataSet.class);

  /**
   * A made data set.
   *
   * @param reference the sealed buffer's reference, to send
   * @param makingNanos how long the making took
   */
  record Made(SharedBytes reference, long makingNanos) {}

  /** One data set's buffer and who uses it. */
  private static final class Entry {
    final DataSet data;
    /** Completed, outside the monitor, by the call that makes the data set. */
    final CompletableFuture<Made> made = new CompletableFuture<>();
    /** The made buffer, set under the monitor once made; null before, and once closed. */
    SharedBuffer buffer;
    /** Leases not closed yet; under the monitor. */
    int leases;
    /** No longer the latest: no lease will be taken any more; under the monitor. */
    boolean replaced;

    Entry(DataSet data) {
      this.data = data;
    }

    /**
     * The buffer to close now, or null: once replaced and unused, exactly once. Under the
     * monitor.
     */
    SharedBuffer takeClosableLocked() {
      if (!replaced || leases > 0) {
        return null;
      }
      SharedBuffer closable = buffer;
      buffer = null;
      return closable;
    }
  }

  /** A call's use of a data set's buffer, from {@link #lease} until {@link #close}. */
  final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    /** Completes once the data set is made, or exceptionally if making it failed. */
    CompletableFuture<Made> made() {
      return entry.made;
    }

    /** Ends this use; the buffer is closed here if it was replaced and this was its last. */
    @Override
    public void close() {
      SharedBuffer closable;
      synchronized (LatestDataSet.this) {
        if (closed) {
          return;
        }
        closed = true;
        entry.leases--;
        closable = entry.takeClosableLocked();
      }
      closeQuietly(closable);
    }
  }

  private final ShareService.Progress progress;
  /** The data set the last lease named; under the monitor. */
  private Entry latest;

  LatestDataSet(ShareService.Progress progress) {
    this.progress = progress;
  }

  /**
   * A lease on {@code data}'s buffer. If nobody has made it yet, this call makes it before it
   * returns, and the data set it replaces is closed once unused.
   */
  Lease lease(DataSet data) {
    Entry entry;
    boolean make;
    SharedBuffer replaced = null;
    synchronized (this) {
      make = latest == null || !latest.data.equals(data);
      if (make) {
        if (latest != null) {
          latest.replaced = true;
          replaced = latest.takeClosableLocked();
        }
        latest = new Entry(data);
      }
      entry = latest;
      entry.leases++;
    }
    closeQuietly(replaced);
    Lease lease = new Lease(entry);
    if (make) {
      make(entry);
    } else if (!entry.made.isDone()) {
      progress.waiting(data);
    }
    return lease;
  }

  /** Makes {@code entry}'s buffer, then completes its future (outside the monitor). */
  private void make(Entry entry) {
    progress.making(entry.data);
    long start = System.nanoTime();
    SharedBuffer buffer;
    SharedBytes reference;
    try {
      buffer = makeBuffer(entry.data);
      // Sealed already: this returns its reference.
      reference = buffer.seal();
    } catch (IOException | RuntimeException e) {
      log.warn("cannot make the shared buffer of {}: {}", entry.data, e.toString());
      synchronized (this) {
        // A later call tries again rather than meet this failure.
        if (latest == entry) {
          latest = null;
        }
      }
      entry.made.completeExceptionally(e);
      return;
    }
    long nanos = System.nanoTime() - start;
    synchronized (this) {
      entry.buffer = buffer;
    }
    progress.made(entry.data, nanos);
    entry.made.complete(new Made(reference, nanos));
  }

  /** Every chunk of {@code data}, generated and written at its offset; then sealed. */
  private static SharedBuffer makeBuffer(DataSet data) throws IOException {
    SharedBuffer buffer = SharedBuffer.allocate(data.sizeBytes());
    try {
      for (long i = 0; i < data.chunkCount(); i++) {
        byte[] chunk = data.chunk(i);
        buffer.write(data.offsetOf(i), chunk, 0, chunk.length);
      }
      buffer.seal();
      return buffer;
    } catch (IOException | RuntimeException e) {
      buffer.close();
      throw e;
    }
  }

  /** Closes the latest buffer once no call uses it; a later lease makes it again. */
  @Override
  public void close() {
    SharedBuffer closable = null;
    synchronized (this) {
      if (latest != null) {
        latest.replaced = true;
        closable = latest.takeClosableLocked();
        latest = null;
      }
    }
    closeQuietly(closable);
  }

  private static void closeQuietly(SharedBuffer buffer) {
    if (buffer == null) {
      return;
    }
    try {
      buffer.close();
    } catch (IOException e) {
      log.warn("cannot close a replaced data set's shared buffer: {}", e.toString());
    }
  }
}
