package dev.plumb.rpc.testing;

import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ConnectionHandler} that records what a link delivers, for link-level tests. */
public class RecordingHandler implements ConnectionHandler {
  private final int maxFrameSize;
  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final BlockingQueue<Status> closes = new LinkedBlockingQueue<>();
  final BlockingQueue<ProtocolException> errors = new LinkedBlockingQueue<>();
  final AtomicInteger closeCount = new AtomicInteger();
  /** Wire bytes the link reported taken of what was written to it. */
  final AtomicLong sent = new AtomicLong();
  private final AtomicInteger delivered = new AtomicInteger();
  /** How many frames had been delivered when the link last said a read was complete. */
  volatile int deliveredAtReadComplete;
  /** Where ATTACH frames' descriptors are taken from as they arrive, or null. */
  private volatile Connection descriptorSource;
  /** What each ATTACH took, in order: empty where the link had delivered fewer. */
  private final BlockingQueue<FileDescriptor[]> taken = new LinkedBlockingQueue<>();

  public RecordingHandler(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  @Override
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** As many as the link may hold ahead of its frames; what a session allows by default. */
  @Override
  public int maxDescriptors() {
    return 1024;
  }

  /** From now on each ATTACH takes the descriptors it names from {@code source}. */
  void takeDescriptorsFrom(Connection source) {
    descriptorSource = source;
  }

  @Override
  public void onSent(long bytes) {
    sent.addAndGet(bytes);
  }

  @Override
  public void onReadComplete() {
    deliveredAtReadComplete = delivered.get();
  }

  @Override
  public void onFrame(Frame frame) {
    Connection source = descriptorSource;
    if (source != null && frame.type() == FrameType.ATTACH) {
      try {
        FileDescriptor[] descriptors = source.takeDescriptors(
            AttachFrames.parse(frame).descriptors());
        taken.add(descriptors == null ? new FileDescriptor[0] : descriptors);
      } catch (ProtocolException e) {
        errors.add(e);
      }
    }
    delivered.incrementAndGet();
    frames.add(frame);
  }

  @Override
  public void onProtocolError(ProtocolException error) {
    errors.add(error);
  }

  @Override
  public void onClosed(Status status) {
    closeCount.incrementAndGet();
    closes.add(status);
  }

  FileDescriptor[] nextDescriptors() throws InterruptedException {
    FileDescriptor[] descriptors = taken.poll(10, TimeUnit.SECONDS);
    if (descriptors == null) {
      throw new AssertionError("no ATTACH took descriptors within 10 s");
    }
    return descriptors;
  }

  Frame nextFrame() throws InterruptedException {
    Frame frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within 10 s");
    }
    return frame;
  }

  /** The payload of the last GO_AWAY received; fails if there was none. */
  public dev.plumb.proto.wire.GoAway lastGoAwayForTest() throws Exception {
    Frame last = null;
    for (Frame frame : frames) {
      if (frame.type() == dev.plumb.rpc.frame.FrameType.GO_AWAY) {
        last = frame;
      }
    }
    if (last == null) {
      throw new AssertionError("no GO_AWAY among " + frames);
    }
    return dev.plumb.proto.wire.GoAway.parseFrom(last.payload());
  }

  /** The status of the link's death, waiting up to 10 s for it. */
  public Status awaitClosedForTest() throws InterruptedException {
    return awaitClosed();
  }

  /** How often the link's death was reported so far. */
  public int closeCountForTest() {
    return closeCount.get();
  }

  Status awaitClosed() throws InterruptedException {
    Status status = closes.poll(10, TimeUnit.SECONDS);
    if (status == null) {
      throw new AssertionError("link death not reported within 10 s");
    }
    return status;
  }
}
