package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.testing.RecordingHandler;
import io.grpc.Attributes;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures of the link's streams, on whichever thread meets them. */
@Timeout(10)
class BlockingStreamConnectionTest {

  /**
   * A bug in the output stream (an unchecked exception) met by an application thread writing
   * on the connection ends it as INTERNAL, as it does when the writer thread meets it, and the
   * handler hears it once the stream also fails to close.
   */
  @Test
  void anUncheckedFailureOnTheCallingThreadEndsTheConnectionAsInternal() throws Exception {
    Frame first = Frame.of(FrameType.PING, 0, 0, new byte[8]);
    FailingLink link = new FailingLink(Preface.LENGTH + first.wireLength());
    RecordingHandler handler = new RecordingHandler(16 * 1024);
    BlockingStreamConnection connection = link.connect("failing", handler);
    // The preface goes with the first frame, which the writer thread sends.
    connection.write(first);
    connection.flush();
    assertTrue(link.accepted.await(5, TimeUnit.SECONDS), "no preface and frame written");
    Thread writer = link.acceptedBy;
    while (LockSupport.getBlocker(writer) != connection) {
      Thread.onSpinWait();  // Until the writer, done with them, parks.
    }

    connection.write(Frame.of(FrameType.PING, 0, 0, new byte[8]));
    connection.flushOnCallingThread();

    Status status = handler.awaitClosedForTest();
    assertSame(Thread.currentThread(), link.failedOn.get(), "the write did not fail here");
    assertEquals(Status.Code.INTERNAL, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("bug in the stream"), status.toString());
  }

  /**
   * A peer that never reads holds the writer in a write for ever. A close must end the
   * connection all the same, within its deadline: the link is closed under the writer, which
   * frees it, and the handler hears the close's reason, once.
   */
  @Test
  void aCloseEndsTheConnectionWhoseWriterIsStuckOnAPeerThatDoesNotRead() throws Exception {
    StuckLink link = new StuckLink();
    RecordingHandler handler = new RecordingHandler(16 * 1024);
    BlockingStreamConnection connection = link.connect("stuck", handler);
    connection.write(Frame.of(FrameType.PING, 0, 0, new byte[8]));
    connection.flush();
    assertTrue(link.writing.await(5, TimeUnit.SECONDS), "the writer never wrote");

    long start = System.nanoTime();
    connection.close(Status.UNAVAILABLE.withDescription("shut down"));
    Status status = handler.awaitClosedForTest();
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals("shut down", status.getDescription(), status.toString());
    assertEquals(0, link.ended.getCount(), "the link was not closed");
    assertTrue(elapsed < 5_000, "ended after " + elapsed + " ms");
    link.writerFreed.await();
    assertEquals(1, handler.closeCountForTest());
  }

  /**
   * The writer thread runs the handler's {@code onSent}, and with it whatever the application
   * does there on a direct executor: a {@code java.util.concurrent} lock it waits for parks the
   * thread, which uses up a wake-up meant for the writer (a flush of frames written meanwhile).
   * The writer must still send those frames: it looks at its queue before it sleeps.
   */
  @Test
  void framesFlushedWhileTheWriterReportsAreSentThoughItsWakeUpWasUsedUp() throws Exception {
    Frame first = Frame.of(FrameType.PING, 0, 0, new byte[8]);
    Frame second = Frame.of(FrameType.PING, 0, 0, new byte[8]);
    CountingLink link = new CountingLink(Preface.LENGTH + first.wireLength() + second.wireLength());
    AtomicReference<BlockingStreamConnection> connection = new AtomicReference<>();
    RecordingHandler handler = new RecordingHandler(16 * 1024) {
      private boolean wroteMore;

      @Override
      public void onSent(long bytes) {
        if (!wroteMore) {
          wroteMore = true;
          connection.get().write(second);
          connection.get().flush();  // Wakes the writer: this thread.
          LockSupport.park();  // Returns at once, using that wake-up, as a contended lock would.
        }
      }
    };
    connection.set(link.connect("reporting", handler));

    connection.get().write(first);
    connection.get().flush();

    assertTrue(link.allWritten.await(5, TimeUnit.SECONDS),
        link.written + " of " + link.expected + " bytes written");
    connection.get().close(Status.UNAVAILABLE.withDescription("done"));
    handler.awaitClosedForTest();
  }

  /** A link in memory whose input ends when {@link #end} is called. */
  private abstract static class FakeLink {
    final CountDownLatch ended = new CountDownLatch(1);

    final InputStream in = new InputStream() {
      @Override
      public int read() throws IOException {
        return read(new byte[1], 0, 1);
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        awaitEnd();
        return -1;
      }
    };

    abstract OutputStream out();

    /** A connection over this link, started with {@code handler}; closing it ends the link. */
    BlockingStreamConnection connect(String name, RecordingHandler handler) {
      BlockingStreamConnection connection = new BlockingStreamConnection(name, in, out(),
          this::end, Attributes.EMPTY);
      connection.start(handler);
      return connection;
    }

    void end() {
      ended.countDown();
    }

    void awaitEnd() throws InterruptedIOException {
      try {
        ended.await();
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
    }
  }

  /**
   * An output that takes its first bytes (the preface and a frame), then throws an unchecked
   * exception on every write; an input that ends when the output is closed, as a peer that
   * hangs up on the half-close would.
   */
  private static final class FailingLink extends FakeLink {
    final CountDownLatch accepted = new CountDownLatch(1);
    final AtomicReference<Thread> failedOn = new AtomicReference<>();
    final long acceptedBytes;
    volatile Thread acceptedBy;

    FailingLink(long acceptedBytes) {
      this.acceptedBytes = acceptedBytes;
    }

    final OutputStream out = new OutputStream() {
      private long written;

      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        if (written >= acceptedBytes) {
          failedOn.compareAndSet(null, Thread.currentThread());
          throw new IllegalStateException("bug in the stream");
        }
        written += length;
        if (written >= acceptedBytes) {
          acceptedBy = Thread.currentThread();
          accepted.countDown();
        }
      }

      @Override
      public void close() {
        end();
      }
    };

    @Override
    OutputStream out() {
      return out;
    }
  }

  /** An output that counts what it takes; an input that ends when the output is closed. */
  private static final class CountingLink extends FakeLink {
    final CountDownLatch allWritten = new CountDownLatch(1);
    final long expected;
    volatile long written;

    CountingLink(long expected) {
      this.expected = expected;
    }

    final OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        written += length;  // Only the writing thread of the moment, under the output lock.
        if (written >= expected) {
          allWritten.countDown();
        }
      }

      @Override
      public void close() {
        end();
      }
    };

    @Override
    OutputStream out() {
      return out;
    }
  }

  /**
   * A link whose peer never reads: every write blocks until the link is closed, then fails, as
   * a socket's does; reading blocks until then too.
   */
  private static final class StuckLink extends FakeLink {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch writerFreed = new CountDownLatch(1);

    final OutputStream out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        writing.countDown();
        awaitEnd();
        writerFreed.countDown();
        throw new IOException("Socket closed");
      }
    };

    @Override
    OutputStream out() {
      return out;
    }
  }
}
