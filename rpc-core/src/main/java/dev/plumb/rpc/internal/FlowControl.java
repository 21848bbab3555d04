package dev.plumb.rpc.internal;

import dev.plumb.rpc.frame.ControlFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Flow control of one connection, both ways (PROTOCOL.md, section 6). ATTACH_DATA counts
 * exactly as DATA does.
 *
 * <p>Sending: DATA goes out only within the window the peer granted the stream and the one it
 * granted the connection, and only while the link keeps up ({@link LinkBacklog}). A frame
 * larger than both windows is split; what is left waits for a WINDOW_UPDATE. Streams stopped
 * by the connection window or the link's backlog are parked and resume in the order they
 * stopped.
 *
 * <p>Receiving: the peer may not send beyond the windows this side granted. Bytes count
 * against them until the application consumes them; they are then granted back in batches of
 * half a window, so that a WINDOW_UPDATE costs little per message. Bytes of a stream that
 * leaves the session go back to the connection window at once.
 *
 * <p>Not thread-safe: the session calls it under its lock. It writes frames (the stream's own
 * and WINDOW_UPDATEs) to the writer it was given, and tells each stream what it sent through
 * {@link StreamRecord#onDataSent}.
 */
final class FlowControl {
  private final int streamWindow;
  private final int connectionWindow;
  private final Consumer<Frame> writer;
  private final BiConsumer<Frame, RandomAccessFile[]> descriptorWriter;
  private final LinkBacklog backlog;
  /** Streams stopped by the connection window or the backlog, in the order they stopped. */
  private final ArrayDeque<StreamRecord> parked = new ArrayDeque<>();

  private int connectionSendWindow;
  private int connectionReceiveWindow;
  private int connectionUnacknowledged;
  /** The connection is gone: nothing more is granted. */
  private boolean stopped;

  /**
   * Flow control that grants the peer {@code streamWindow} bytes per stream and
   * {@code connectionWindow} in all, writing frames to {@code writer} while {@code backlog}
   * admits DATA, and each ATTACH that carries descriptors with them to
   * {@code descriptorWriter}. Nothing may be sent until {@link #peerConnectionWindow} says what the peer
   * granted.
   */
  FlowControl(int streamWindow, int connectionWindow, LinkBacklog backlog,
      Consumer<Frame> writer, BiConsumer<Frame, RandomAccessFile[]> descriptorWriter) {
    this.descriptorWriter = descriptorWriter;
    this.streamWindow = streamWindow;
    this.connectionWindow = connectionWindow;
    this.backlog = backlog;
    this.writer = writer;
    this.connectionReceiveWindow = connectionWindow;
  }

  /** The peer's HELLO granted the connection {@code window} bytes. */
  void peerConnectionWindow(int window) {
    connectionSendWindow = window;
  }

  /** A stream opens, with {@code peerStreamWindow} bytes it may send. */
  void open(StreamRecord stream, int peerStreamWindow) {
    stream.sendWindow = peerStreamWindow;
    stream.receiveWindow = streamWindow;
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Writes the stream's queued frames in order while the windows allow. Control frames
   * (HEADERS, TRAILERS) are not flow-controlled but keep their place behind the DATA before
   * them.
   */
  void drain(StreamRecord stream) {
    while (!stream.closed && !stream.outbound.isEmpty()) {
      Frame next = stream.outbound.peek();
      if (next.type() != FrameType.DATA && next.type() != FrameType.ATTACH_DATA) {
        stream.outbound.poll();
        if (next.type() == FrameType.ATTACH && !stream.attachDescriptors.isEmpty()) {
          descriptorWriter.accept(next.reissue(next.flags(), stream.id),
              stream.attachDescriptors.poll());
        } else {
          writer.accept(next.reissue(next.flags(), stream.id));
        }
        stream.onControlFrameSent(next);
        continue;
      }
      if (!backlog.admitsData() && !backlog.await()) {
        park(stream);
        return;
      }
      if (next.type() == FrameType.ATTACH_DATA) {
        if (!drainInline(stream)) {
          return;
        }
        continue;
      }
      int length = next.payloadLength();
      int allowed = Math.min(length, Math.min(stream.sendWindow, connectionSendWindow));
      if (length > 0 && allowed <= 0) {
        if (connectionSendWindow <= 0 && stream.sendWindow > 0) {
          park(stream);
        }
        return;
      }
      if (allowed == length) {
        stream.outbound.poll();
        writer.accept(next.reissue(next.flags(), stream.id));
      } else {
        writer.accept(next.splitFront(0, stream.id, allowed));
      }
      stream.sendWindow -= allowed;
      connectionSendWindow -= allowed;
      if (allowed > 0) {
        stream.onDataSent(allowed);
      }
    }
  }

  /**
   * Sends the next chunk of the stream's first inline attachment within the windows, which it
   * counts against as DATA (but not as gRPC's bytes: gRPC never saw them). Takes the
   * attachment's place in the queue once all of it is sent. False if the stream must wait.
   */
  private boolean drainInline(StreamRecord stream) {
    OutboundInline inline = stream.inlineOut.peek();
    int allowed = inline.nextChunk(Math.min(stream.sendWindow, connectionSendWindow));
    if (inline.remaining() > 0 && allowed <= 0) {
      if (connectionSendWindow <= 0 && stream.sendWindow > 0) {
        park(stream);
      }
      return false;
    }
    if (allowed > 0) {
      try {
        writer.accept(inline.read(allowed, stream.id));
      } catch (IOException e) {
        // The call ended meanwhile (its attachments closed), or the segment is unreadable.
        stream.outbound.clear();
        stream.inlineOut.clear();
        stream.onAttachmentsFailed(Status.INTERNAL.withDescription(
            "cannot read an attachment to send: " + e));
        return false;
      }
      stream.sendWindow -= allowed;
      connectionSendWindow -= allowed;
    }
    if (inline.remaining() == 0) {
      stream.outbound.poll();
      stream.inlineOut.poll();
    }
    return true;
  }

  private void park(StreamRecord stream) {
    if (!stream.parked) {
      stream.parked = true;
      parked.add(stream);
    }
  }

  /** A WINDOW_UPDATE for the connection: resumes the streams that waited for it, in order. */
  void connectionWindowUpdate(int increment) throws ProtocolException {
    connectionSendWindow = grow(connectionSendWindow, increment, "the connection");
    resumeParked();
  }

  /**
   * Resumes parked streams, in the order they stopped, while the connection window and the
   * backlog allow: after a connection WINDOW_UPDATE, or when the link took enough of the
   * backlog ({@link LinkBacklog#taken}).
   */
  void resumeParked() {
    while (!parked.isEmpty() && connectionSendWindow > 0 && !stopped) {
      // The stream before may have filled the backlog without meeting the gate itself.
      if (!backlog.admitsData() && !backlog.await()) {
        return;
      }
      StreamRecord stream = parked.poll();
      stream.parked = false;
      drain(stream);
    }
  }

  /** A WINDOW_UPDATE for {@code stream}: sends what it allows. */
  void streamWindowUpdate(StreamRecord stream, int increment) throws ProtocolException {
    stream.sendWindow = grow(stream.sendWindow, increment, "stream " + stream.id);
    drain(stream);
  }

  /** Rejects a WINDOW_UPDATE increment of 0 or above 2^31-1 (which reads as negative). */
  static void checkIncrement(int increment) throws ProtocolException {
    if (increment <= 0) {
      throw ProtocolException.malformed("WINDOW_UPDATE increment "
          + Integer.toUnsignedString(increment) + " is not between 1 and 2^31-1");
    }
  }

  private static int grow(int window, int increment, String what) throws ProtocolException {
    checkIncrement(increment);
    long grown = (long) window + increment;
    if (grown > Integer.MAX_VALUE) {
      throw ProtocolException.malformed("WINDOW_UPDATE grows the window of " + what
          + " beyond 2^31-1");
    }
    return (int) grown;
  }

  // ---- receiving -----------------------------------------------------------------------------

  /**
   * {@code length} DATA bytes arrived for {@code stream}, or for a stream this side already
   * closed if it is null (a cancel crossed the data: the bytes are freed at once).
   *
   * @throws ProtocolException if the peer sent beyond a window this side granted
   */
  void received(StreamRecord stream, int length) throws ProtocolException {
    connectionReceiveWindow -= length;
    if (connectionReceiveWindow < 0) {
      throw ProtocolException.malformed("peer sent " + (-connectionReceiveWindow)
          + " DATA bytes beyond the connection window");
    }
    if (stream == null) {
      grantConnection(length);
      return;
    }
    stream.receiveWindow -= length;
    if (stream.receiveWindow < 0) {
      throw ProtocolException.malformed("peer sent " + (-stream.receiveWindow)
          + " DATA bytes beyond the window of stream " + stream.id);
    }
    stream.unconsumed += length;
  }

  /** The application consumed {@code bytes} of {@code stream}'s DATA: grant them back. */
  void consumed(StreamRecord stream, int bytes) {
    if (stream.closed || stopped) {
      return;
    }
    stream.unconsumed -= bytes;
    stream.unacknowledged += bytes;
    if (stream.unacknowledged >= streamWindow / 2) {
      writer.accept(ControlFrames.windowUpdate(stream.id, stream.unacknowledged));
      stream.receiveWindow += stream.unacknowledged;
      stream.unacknowledged = 0;
    }
    grantConnection(bytes);
  }

  /**
   * {@code stream} left the session: it waits for no window, and the bytes the application
   * will never consume stop counting against the connection window (later
   * {@link #consumed} calls for it are ignored).
   */
  void release(StreamRecord stream) {
    if (stream.parked) {
      parked.remove(stream);
      stream.parked = false;
    }
    grantConnection(stream.unconsumed);
    stream.unconsumed = 0;
  }

  /** The connection is gone: no stream waits any more and nothing is granted. */
  void stop() {
    stopped = true;
    parked.clear();
  }

  private void grantConnection(int bytes) {
    if (stopped || bytes == 0) {
      return;
    }
    connectionUnacknowledged += bytes;
    if (connectionUnacknowledged >= connectionWindow / 2) {
      writer.accept(ControlFrames.windowUpdate(0, connectionUnacknowledged));
      connectionReceiveWindow += connectionUnacknowledged;
      connectionUnacknowledged = 0;
    }
  }
}
