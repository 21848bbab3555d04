package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.ForeignPeerAnswer;
import io.grpc.Attributes;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.RandomAccessFile;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted connection as the server's session sees it: the transport's connection, whose
 * place in the {@link ConnectionAdmission} is given back when its handler hears
 * {@code onClosed}, however the link ended (GO_AWAY, the peer's death, shutdownNow), or at
 * once if it is closed before it was started (no {@code onClosed} comes then). The transport
 * tells {@code onClosed} exactly once (the SPI's promise); the flag makes the release once-only
 * even if one did not, and between the two paths. Everything else passes straight through.
 */
final class AdmittedConnection implements Connection {
  private final Connection connection;
  private final Runnable release;
  private final AtomicBoolean released = new AtomicBoolean();
  /**
   * Set before the connection starts, so that a close() that reads false knows no onClosed
   * will come (the session closes an unstarted link on its own thread, under its lock).
   */
  private volatile boolean started;

  /** @param release gives the connection's place back; called once, from a transport thread */
  AdmittedConnection(Connection connection, Runnable release) {
    this.connection = connection;
    this.release = release;
  }

  @Override
  public void start(ConnectionHandler handler) {
    started = true;
    connection.start(new ConnectionHandler() {
      @Override
      public int maxFrameSize() {
        return handler.maxFrameSize();
      }

      @Override
      public int maxDescriptors() {
        return handler.maxDescriptors();
      }

      @Override
      public void onSent(long bytes) {
        handler.onSent(bytes);
      }

      @Override
      public void onFrame(Frame frame) {
        handler.onFrame(frame);
      }

      @Override
      public void onReadComplete() {
        handler.onReadComplete();
      }

      @Override
      public void onProtocolError(ProtocolException error) {
        handler.onProtocolError(error);
      }

      @Override
      public void onClosed(Status status) {
        // Released before the session hears it: once its calls see the close, a new
        // connection finds the place free. The session hears it whatever the release does.
        try {
          releaseOnce();
        } finally {
          handler.onClosed(status);
        }
      }
    });
  }

  @Override
  public void write(Frame frame) {
    connection.write(frame);
  }

  @Override
  public boolean canPassDescriptors() {
    return connection.canPassDescriptors();
  }

  @Override
  public void write(Frame frame, RandomAccessFile[] descriptors) {
    connection.write(frame, descriptors);
  }

  @Override
  public FileDescriptor[] takeDescriptors(int count) {
    return connection.takeDescriptors(count);
  }

  @Override
  public void flush() {
    connection.flush();
  }

  @Override
  public void flushOnCallingThread() {
    connection.flushOnCallingThread();
  }

  @Override
  public void close(Status reason) {
    connection.close(reason);
    if (!started) {
      releaseOnce();
    }
  }

  @Override
  public void answerForeignPeer(ForeignPeerAnswer answer, Status reason) {
    connection.answerForeignPeer(answer, reason);
  }

  private void releaseOnce() {
    if (released.compareAndSet(false, true)) {
      release.run();
    }
  }

  @Override
  public Attributes attributes() {
    return connection.attributes();
  }
}
