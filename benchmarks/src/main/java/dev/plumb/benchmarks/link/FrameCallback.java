package dev.plumb.benchmarks.link;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Status;
import java.util.function.Consumer;

/** A connection handler that passes each frame to a callback: 64 KiB frames, no errors allowed. */
final class FrameCallback implements ConnectionHandler {
  private final Consumer<Frame> onFrame;

  FrameCallback(Consumer<Frame> onFrame) {
    this.onFrame = onFrame;
  }

  @Override
  public int maxFrameSize() {
    return 64 * 1024;
  }

  @Override
  public void onSent(long bytes) {}

  @Override
  public void onReadComplete() {}

  @Override
  public void onFrame(Frame frame) {
    onFrame.accept(frame);
  }

  @Override
  public void onProtocolError(ProtocolException error) {
    throw new IllegalStateException(error);
  }

  @Override
  public void onClosed(Status status) {}
}
