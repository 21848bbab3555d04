package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Attributes;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Connection} whose peer is the test: it records what is written and why it was
 * closed, and the test hands frames in and reports the link's death through {@link #handler}.
 * No thread of its own.
 */
final class FakeLink implements Connection {
  final List<Frame> written = new ArrayList<>();
  ConnectionHandler handler;
  Status closedWith;
  int starts;

  @Override
  public void start(ConnectionHandler handler) {
    this.handler = handler;
    starts++;
  }

  @Override
  public void write(Frame frame) {
    written.add(frame);
  }

  @Override
  public void flush() {}

  @Override
  public void close(Status reason) {
    if (closedWith == null) {
      closedWith = reason;
    }
  }

  @Override
  public Attributes attributes() {
    return Attributes.EMPTY;
  }

  /** The link reports its death, as a transport does once it has closed. */
  void die() {
    handler.onClosed(closedWith != null ? closedWith : Status.UNAVAILABLE);
  }
}
