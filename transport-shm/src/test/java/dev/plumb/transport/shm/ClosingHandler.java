package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler for link-level tests: drops frames, closes the connection with a protocol error's
 * status as the core does, and keeps the status {@code onClosed} reports.
 */
final class ClosingHandler implements ConnectionHandler {
  private final BlockingQueue<Status> closes = new LinkedBlockingQueue<>();
  private final int maxDescriptors;
  private volatile Connection connection;

  /** A side that takes no descriptors. */
  ClosingHandler() {
    this(0);
  }

  /** A side that lets its peer send {@code maxDescriptors} ahead of their frames. */
  ClosingHandler(int maxDescriptors) {
    this.maxDescriptors = maxDescriptors;
  }

  /** Starts {@code connection} with this handler. */
  void start(Connection connection) {
    this.connection = connection;
    connection.start(this);
  }

  /** The status the connection ended with, or null if it did not end within {@code millis}. */
  Status awaitClose(long millis) throws InterruptedException {
    return closes.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public int maxFrameSize() {
    return 1024;
  }

  @Override
  public int maxDescriptors() {
    return maxDescriptors;
  }

  @Override
  public void onSent(long bytes) {}

  @Override
  public void onReadComplete() {}

  @Override
  public void onFrame(Frame frame) {
    frame.release();
  }

  @Override
  public void onProtocolError(ProtocolException error) {
    connection.close(error.status());
  }

  @Override
  public void onClosed(Status status) {
    closes.add(status);
  }
}
