package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits on floods of frames that flow control does not bound, because they carry no bytes
 * or cost more than their bytes: DATA frames with nothing in them, and streams a client opens
 * only to reset at once ("rapid reset": each one makes the server start a call and tear it
 * down). A peer over a limit ends its connection with RESOURCE_EXHAUSTED, which the session
 * sends in a GO_AWAY. Not thread-safe: under the session lock.
 */
final class FloodLimits {
  /**
   * Empty DATA frames without END_STREAM, in a row, that a peer may send. gRPC never sends
   * one (an empty DATA frame only ever half-closes a stream), so a few are plenty.
   */
  static final int MAX_EMPTY_DATA_IN_A_ROW = 8;

  private final int maxResets;
  private final long resetWindowNanos;
  private final LongSupplier nanoTime;
  private int emptyDataInARow;
  private int resetsInWindow;
  private long resetWindowStart;

  /** Limits of {@code settings}, with time read from {@code nanoTime}. */
  FloodLimits(ProtocolSettings settings, LongSupplier nanoTime) {
    this.maxResets = settings.maxResets();
    this.resetWindowNanos = settings.resetWindowNanos();
    this.nanoTime = nanoTime;
  }

  /** A DATA frame arrived. */
  void onData(Frame frame) throws ProtocolException {
    if (frame.payloadLength() > 0 || frame.hasFlag(Frame.FLAG_END_STREAM)) {
      emptyDataInARow = 0;
      return;
    }
    if (++emptyDataInARow > MAX_EMPTY_DATA_IN_A_ROW) {
      throw new ProtocolException(Status.RESOURCE_EXHAUSTED.withDescription(
          "more than " + MAX_EMPTY_DATA_IN_A_ROW + " empty DATA frames in a row"));
    }
  }

  /** The client reset a stream. */
  void onReset() throws ProtocolException {
    if (maxResets == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (resetsInWindow == 0 || now - resetWindowStart >= resetWindowNanos) {
      resetWindowStart = now;
      resetsInWindow = 0;
    }
    if (++resetsInWindow > maxResets) {
      throw new ProtocolException(Status.RESOURCE_EXHAUSTED.withDescription(
          "the client reset more than " + maxResets + " streams within "
              + TimeUnit.NANOSECONDS.toSeconds(resetWindowNanos) + " s (rapid reset)"));
    }
  }
}
