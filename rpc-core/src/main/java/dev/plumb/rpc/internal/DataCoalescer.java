package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.Frame;
import io.grpc.internal.ReadableBuffers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hands received DATA to gRPC, merging the small frames that arrive together for one stream
 * into one buffer. gRPC's deframer keeps every buffer it is given until the application asks
 * for the messages in it, and each costs about a hundred bytes beside its payload: a peer that
 * splits its data into 1-byte frames would make the receiver keep some hundred times what the
 * flow-control windows admit. Merged, what waits costs about its own size.
 *
 * <p>A small frame (below {@link #SMALL}, not ending the stream) is held; a second one for the
 * same stream starts a merge into an array of its own, which doubles as it fills (so at most
 * half of it is unused) up to {@link #MERGED_MAX}.
 * What a stream holds goes to gRPC, in order, before any other frame of that stream is handled
 * ({@link #flush}), when the link has delivered everything it had for now
 * ({@link #flushAll}, from {@link dev.plumb.rpc.spi.ConnectionHandler#onReadComplete}), and
 * before the streams are failed when the link dies. So data is never held past the read that
 * brought it, and a frame that arrives alone (a unary call's message) is handed over as it is,
 * without a copy.
 *
 * <p>Not thread-safe: the session calls it under its lock.
 */
final class DataCoalescer {
  /** Frames below this size are merged (they are not pooled either: see the payload pool). */
  static final int SMALL = 1024;
  /** The largest merged buffer. */
  static final int MERGED_MAX = 16 * 1024;

  /** Streams that hold data, in the order they started holding it. */
  private final List<StreamRecord> holding = new ArrayList<>();

  /** {@code frame} arrived for {@code stream}, which may receive it. */
  void received(StreamRecord stream, Frame frame) {
    boolean endOfStream = frame.hasFlag(Frame.FLAG_END_STREAM);
    int length = frame.payloadLength();
    if (endOfStream || length >= SMALL) {
      flush(stream);
      stream.onDataReceived(FramePayloadBuffer.of(frame), endOfStream);
      return;
    }
    if (!stream.holdsData) {
      stream.holdsData = true;
      holding.add(stream);
    }
    if (stream.heldFrame == null && stream.merged == null) {
      stream.heldFrame = frame;
      return;
    }
    if (stream.heldFrame != null) {
      Frame first = stream.heldFrame;
      stream.heldFrame = null;
      stream.merged = new byte[2 * (first.payloadLength() + length)];
      append(stream, first);
    } else if (stream.mergedLength + length > MERGED_MAX) {
      handOverMerged(stream);
      stream.merged = new byte[2 * length];
    } else if (stream.mergedLength + length > stream.merged.length) {
      stream.merged = Arrays.copyOf(stream.merged,
          Math.min(MERGED_MAX, 2 * (stream.mergedLength + length)));
    }
    append(stream, frame);
  }

  private static void append(StreamRecord stream, Frame frame) {
    int length = frame.payloadLength();
    frame.payload().get(stream.merged, stream.mergedLength, length);
    stream.mergedLength += length;
    frame.release();
  }

  /** Hands what {@code stream} holds (if anything) to gRPC. */
  void flush(StreamRecord stream) {
    if (stream == null || stream.closed) {
      return;
    }
    stream.holdsData = false;
    if (stream.heldFrame != null) {
      Frame held = stream.heldFrame;
      stream.heldFrame = null;
      stream.onDataReceived(FramePayloadBuffer.of(held), false);
    } else if (stream.merged != null) {
      handOverMerged(stream);
    }
  }

  private static void handOverMerged(StreamRecord stream) {
    byte[] merged = stream.merged;
    int length = stream.mergedLength;
    stream.merged = null;
    stream.mergedLength = 0;
    stream.onDataReceived(ReadableBuffers.wrap(merged, 0, length), false);
  }

  /**
   * Whether some stream holds data. Safe without the lock on the thread that delivers frames,
   * the only one that makes streams hold: it sees its own additions, and a list that another
   * thread emptied meanwhile (the link's death) only makes it take the lock for nothing.
   */
  boolean holdsAny() {
    return !holding.isEmpty();
  }

  /** Hands everything held to gRPC: the link has nothing more for now, or is gone. */
  void flushAll() {
    for (StreamRecord stream : holding) {
      flush(stream);
    }
    holding.clear();
  }
}
