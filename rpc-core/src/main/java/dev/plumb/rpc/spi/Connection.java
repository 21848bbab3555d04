package dev.plumb.rpc.spi;

import dev.plumb.rpc.frame.Frame;
import io.grpc.Attributes;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.RandomAccessFile;

/**
 * An ordered, reliable, bidirectional link that carries frames: what a transport gives the
 * core, once per connected client or accepted peer. The core owns the protocol; the
 * connection only moves frames, waits, and notices death.
 *
 * <p>Threading: {@link #write}, {@link #flush} and {@link #close} may be called from any
 * thread, including while the caller holds its own locks, so none of them may block on the
 * peer: frames queue inside the connection until they can move ({@link #flushOnCallingThread}
 * is the one call that may). The core bounds that queue by what the link reports taken
 * ({@link ConnectionHandler#onSent}). Frames are delivered to the {@link ConnectionHandler}
 * from one thread at a time, in order. The handler writes, flushes and closes from inside its
 * calls, so a transport never calls it while holding a lock that {@link #write},
 * {@link #flush} or {@link #close} take.
 */
public interface Connection {
  /**
   * Starts delivering inbound frames to {@code handler}. Called once, before any write.
   * The handler hears {@link ConnectionHandler#onClosed} exactly once, even if the link
   * was already dead when this was called.
   */
  void start(ConnectionHandler handler);

  /**
   * Queues {@code frame} for sending, in order; ownership of its payload passes here. Once its
   * bytes are copied out to the link, call {@link Frame#release} (the payload may lie in an
   * array lent by the core's pool); a frame never sent need not be released.
   */
  void write(Frame frame);

  /** Sends every queued frame as soon as the link allows. Writes may be batched until then. */
  void flush();

  /**
   * Like {@link #flush}, from a caller that holds no lock and may wait: the core calls this
   * from application threads, after releasing its own lock. A transport may send the queued
   * frames on the calling thread, sparing the wake-up of a thread of its own, and may block
   * while the link takes them (flow control bounds how much that is). Called from its own
   * reader thread (a service on {@code directExecutor()}), it must never wait on the link, as
   * the peer may be waiting for that reader to read: it may write only what the link takes at
   * once, and signal for the rest. By default, {@link #flush}.
   */
  default void flushOnCallingThread() {
    flush();
  }

  /**
   * Lets the calling thread, which will block until its call's answer arrives, read the link
   * itself meanwhile: one thread fewer awake per call, and no wake-up when the answer comes.
   * Called by an application thread holding no lock, before it sends the request; the caller
   * polls the turn while it waits and closes it before it parks. Null if the transport's reader
   * must read (the default; a transport whose reads block cannot hand them over), or if another
   * thread has the turn.
   */
  default CallerRead startCallerRead() {
    return null;
  }

  /**
   * Sends what is queued (best effort), then closes the link. The handler is told
   * {@code reason} unless the link already died for another reason. Idempotent.
   */
  void close(Status reason);

  /**
   * Ends a link whose peer speaks another protocol (a gRPC client over HTTP/2), answering it in
   * that protocol: from now on nothing of Plumb's is sent (no preface, no queued frame); what
   * the peer sends goes to {@code answer}, starting with what followed, in the read that failed,
   * the bytes that gave the peer away, and what {@code answer} returns is sent as it is. Once it
   * is complete, the link ends as {@link #close} ends it, reading and dropping what the peer
   * still sends until it hangs up or the close deadline passes, so that a socket is not reset
   * under the answer before the peer has read it; the close deadline also bounds a peer that
   * never lets the answer complete. The handler hears {@code reason}. Called by a server that
   * has written nothing yet, from inside {@link ConnectionHandler#onProtocolError}, on the
   * reader. Byte-stream transports override it; by default (a link whose peer cannot be another
   * protocol's, such as shared-memory rings) it closes without an answer.
   */
  default void answerForeignPeer(ForeignPeerAnswer answer, Status reason) {
    close(reason);
  }

  /**
   * What the transport knows about this link: {@link io.grpc.Grpc#TRANSPORT_ATTR_REMOTE_ADDR},
   * {@link io.grpc.Grpc#TRANSPORT_ATTR_LOCAL_ADDR}, peer identity under
   * {@link dev.plumb.rpc.PlumbAttributes} keys where the transport can tell it, and on a TLS link
   * {@link io.grpc.Grpc#TRANSPORT_ATTR_SSL_SESSION} once its TLS handshake is done, before the
   * first frame is delivered ({@link TlsSupport}).
   */
  Attributes attributes();

  /**
   * Whether the link passes descriptors beside frames (a Unix socket's {@code SCM_RIGHTS}).
   * Only then does the core call {@link #write(Frame, RandomAccessFile[])} and
   * {@link #takeDescriptors}.
   */
  default boolean canPassDescriptors() {
    return false;
  }

  /**
   * Queues {@code frame} as {@link #write(Frame)} does, with {@code descriptors} that the link
   * delivers with the frame's first byte or before it. The connection owns them from now on and
   * closes them once written, or when it ends without writing them.
   *
   * @throws UnsupportedOperationException unless {@link #canPassDescriptors}
   */
  default void write(Frame frame, RandomAccessFile[] descriptors) {
    throw new UnsupportedOperationException("this link passes no descriptors");
  }

  /**
   * The next {@code count} descriptors the link delivered, in the order they came, or null if
   * it delivered fewer so far (which the frames already handed to the handler cannot explain:
   * descriptors come with or before their frame). The caller owns what it takes. Called by the
   * handler while it handles a frame.
   */
  default FileDescriptor[] takeDescriptors(int count) {
    return count == 0 ? new FileDescriptor[0] : null;
  }
}
