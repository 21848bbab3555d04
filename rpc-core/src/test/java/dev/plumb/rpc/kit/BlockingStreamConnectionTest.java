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
    FailingLink link = new FailingLink();
    RecordingHandler handler = new RecordingHandler(16 * 1024);
    BlockingStreamConnection connection = new BlockingStreamConnection("failing", link.in,
        link.out, link::close, Attributes.EMPTY);
    connection.start(handler);
    assertTrue(link.prefaceWritten.await(5, TimeUnit.SECONDS), "no preface written");
    Thread writer = link.prefaceWriter;
    while (LockSupport.getBlocker(writer) != connection) {
      Thread.onSpinWait();  // Until the writer, done with the preface, parks.
    }

    connection.write(Frame.of(FrameType.PING, 0, 0, new byte[8]));
    connection.flushOnCallingThread();

    Status status = handler.awaitClosedForTest();
    assertSame(Thread.currentThread(), link.failedOn.get(), "the write did not fail here");
    assertEquals(Status.Code.INTERNAL, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains("bug in the stream"), status.toString());
  }

  /**
   * An output that takes the preface, then throws an unchecked exception on every write; an
   * input that ends when the output is closed, as a peer that hangs up on the half-close would.
   */
  private static final class FailingLink {
    final CountDownLatch prefaceWritten = new CountDownLatch(1);
    final AtomicReference<Thread> failedOn = new AtomicReference<>();
    final CountDownLatch outputClosed = new CountDownLatch(1);
    volatile Thread prefaceWriter;

    final OutputStream out = new OutputStream() {
      private long written;

      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        if (written >= Preface.LENGTH) {
          failedOn.compareAndSet(null, Thread.currentThread());
          throw new IllegalStateException("bug in the stream");
        }
        written += length;
        if (written >= Preface.LENGTH) {
          prefaceWriter = Thread.currentThread();
          prefaceWritten.countDown();
        }
      }

      @Override
      public void close() {
        outputClosed.countDown();
      }
    };

    final InputStream in = new InputStream() {
      @Override
      public int read() throws IOException {
        return read(new byte[1], 0, 1);
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
          outputClosed.await();
        } catch (InterruptedException e) {
          throw new InterruptedIOException();
        }
        return -1;
      }
    };

    void close() {
      outputClosed.countDown();
    }
  }
}
