package dev.plumb.rpc.kit;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.Descriptors;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.ForeignPeerAnswer;
import io.grpc.Attributes;
import io.grpc.Status;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Connection} over a pair of blocking byte streams (a child process's stdin and
 * stdout, a socket's streams), for transports that have no non-blocking I/O to offer. It
 * speaks the core's frame codec: the preface, then frames.
 *
 * <p>Two threads per connection. The reader reads, decodes and delivers frames in order, and
 * reports the link's death. Frames wait in a lock-free queue; whoever holds the output lock
 * drains it into a buffered stream and flushes that when the queue runs dry, so a burst of
 * frames costs one write. That is the writer thread, woken by {@link #flush}, which may block
 * on a full pipe or socket without ever holding a caller's lock (what lets callers write under
 * their own locks, {@link Connection}'s contract); or a thread in {@link #flushOnCallingThread}
 * that finds the output free, which spares the writer's wake-up on the way of every call. A
 * flush the reader asks for while it delivers a read's frames waits until it has delivered them
 * all (or queued {@link #DEFERRED_FLUSH_BYTES}): the answers to a burst of messages then wake
 * the writer once, not once each.
 *
 * <p>Who may write what. The reader must never wait on the link: the peer may be blocked
 * writing to us, waiting for this reader to read, and two readers blocked writing to each
 * other never return. So the reader writes only what the link takes at once, as the
 * transport's {@link LinkRoom} reports it (a probe of the pipe or socket, a syscall or two,
 * far cheaper than waking the writer); a service on {@code directExecutor()}, which runs on
 * the reader, then sends a small response without waking anyone. When the room is unknown, or
 * too small, the reader hands the frames to the writer. An application thread does not ask:
 * it writes up to {@link #CALLING_THREAD_LIMIT}, which a link that is not already full takes at
 * once, and may wait otherwise (flow control bounds how much); the probes are cautious (a pipe
 * that holds anything reports no room), and handing over on every such answer would cost the
 * writer's wake-up on the way of many calls.
 *
 * <p>Ending. {@link #close} and a broken link end the connection the same way, on the writer
 * thread: it sends what was queued, half-closes the link (closes {@code out}), reports
 * {@code onClosed}, gives the peer a grace period to close its side, and closes the link. A
 * peer that does not read can hold the writer, or an application thread, in a write for ever,
 * so a {@link ClosingDeadline} bounds the end: if the writer is not done two seconds after the
 * end began, a thread of its own closes the link under it and reports {@code onClosed}.
 */
public final class BlockingStreamConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(BlockingStreamConnection.class);
  private static final int BUFFER_SIZE = 64 * 1024;
  /** Bytes the reader may queue in a read's delivery before it wakes the writer anyway. */
  private static final int DEFERRED_FLUSH_BYTES = 16 * 1024;
  /** How long a writer that hit a broken link waits for the reader to see why. */
  private static final long READER_GRACE_MILLIS = 2000;
  /**
   * How long a connection may take to end gracefully (send what is queued, half-close, hear
   * the peer's end of stream) before its link is closed under it.
   */
  private static final long CLOSE_GRACE_MILLIS = 2000;
  /**
   * Wire bytes a thread other than the writer writes itself per flush; larger batches go to
   * the writer thread. A small write into a link that is not already full does not block, so
   * callers rarely wait; bulk data, which can fill a pipe (64 KiB) and wait for the peer, is
   * the writer's. Below {@link #BUFFER_SIZE}, so such a batch reaches the link in one write,
   * at the flush: the room a {@link LinkRoom} reports is room for one write.
   */
  private static final long CALLING_THREAD_LIMIT = 16 * 1024;

  private final String name;
  private final InputStream in;
  private final OutputStream out;
  private final Closeable link;
  private final LinkRoom linkRoom;
  private final Attributes attributes;
  private final UnaryOperator<Status> deathReport;
  private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
  /** Null for a link that passes no descriptors. */
  private final DescriptorLink descriptorLink;
  /**
   * The descriptors of queued frames, in the frames' order: a frame takes the head's when it
   * is the head's frame. Empty on a connection that carries no attachment, where the writer's
   * look at it is one read of a volatile field per frame.
   */
  private final ConcurrentLinkedQueue<FrameDescriptors> outboundDescriptors =
      new ConcurrentLinkedQueue<>();
  /** Descriptors handed to the link, closed after the flush that sent them; under the lock. */
  private final ArrayList<FrameDescriptors> sentDescriptors = new ArrayList<>();
  /** Descriptors received and not taken yet, in order. */
  private final ReceivedDescriptors receivedDescriptors = new ReceivedDescriptors();
  /** Held while writing to {@code out}, which it guards with {@link #prefaceSent}. */
  private final ReentrantLock output = new ReentrantLock();
  private final byte[] header = new byte[FrameCodec.HEADER_LENGTH];
  private final ByteBuffer headerBuffer = ByteBuffer.wrap(header);
  private boolean prefaceSent;
  /**
   * The answer to a peer that speaks another protocol ({@link #answerForeignPeer}), which the
   * reader then talks to; null for a Plumb peer. Set by the reader, before the end it starts,
   * which publishes it to the writer.
   */
  private volatile ForeignPeerAnswer foreign;
  /**
   * Set by an application thread whose write failed: an IOException, or the unchecked one of a
   * bug. The writer thread rethrows it, so the connection ends as if its own write had failed
   * (UNAVAILABLE, or INTERNAL for a bug).
   */
  private volatile Throwable callerWriteFailure;
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private final ClosingDeadline deadline;
  private final AtomicBoolean linkClosed = new AtomicBoolean();
  /**
   * Set by the reader when it stops: the peer's stream ended, broke or carried junk. Only then
   * is the transport asked how the peer ended ({@code deathReport}); a peer that has not stopped
   * may be frozen, and asking could wait.
   */
  private volatile boolean readerStopped;
  private volatile Thread writer;
  private volatile Thread reader;
  /**
   * Whether the reader is handing a read's frames to the session. Written by the reader only;
   * another thread may read a stale value, which the "am I the reader?" check that always
   * follows makes harmless.
   */
  private boolean delivering;
  /**
   * Whether a flush was asked for while the reader delivered (as {@code tcp:}'s connection folds
   * one into the end of its read). Reader thread only.
   */
  private boolean flushAfterRead;
  /** Payload bytes the reader queued while it delivered since its last flush. Reader only. */
  private int owedBytes;
  /**
   * Set by start before {@link #writer}, whose volatile write publishes it: read only by the
   * writer thread and by callers that saw the writer.
   */
  private ConnectionHandler handler;

  /**
   * @param name for thread names and logs, e.g. {@code pipe-1234}
   * @param out closed to end this side's output while {@code in} stays readable: a pipe's
   *     write end, or a socket's output wrapped in a {@link HalfClosingOutputStream}
   * @param link closed last, once, to free what the streams belong to (the socket), after the
   *     peer closed its side or when the close deadline passes, maybe while another thread is
   *     blocked on the streams; closing it must not block, and must unblock a reader blocked
   *     in {@code in.read}
   */
  public BlockingStreamConnection(String name, InputStream in, OutputStream out, Closeable link,
      Attributes attributes) {
    this(name, in, out, link, attributes, UnaryOperator.identity());
  }

  /**
   * @param deathReport adds what the transport knows to the status of a link whose peer
   *     stopped (its stream ended, broke or carried junk): a child's exit code, say; called at
   *     most once, on a thread of this connection; it may wait briefly for the peer's end
   */
  public BlockingStreamConnection(String name, InputStream in, OutputStream out, Closeable link,
      Attributes attributes, UnaryOperator<Status> deathReport) {
    this(name, in, out, link, LinkRoom.NEVER_KNOWN, attributes, deathReport);
  }

  /**
   * @param linkRoom how much {@code out}'s link takes without blocking, asked before the reader
   *     writes; only this connection may write to the link
   */
  public BlockingStreamConnection(String name, InputStream in, OutputStream out, Closeable link,
      LinkRoom linkRoom, Attributes attributes, UnaryOperator<Status> deathReport) {
    this(name, in, out, link, linkRoom, null, attributes, deathReport);
  }

  /**
   * @param descriptorLink passes descriptors beside the frames ({@link #canPassDescriptors}),
   *     or null
   */
  public BlockingStreamConnection(String name, InputStream in, OutputStream out, Closeable link,
      LinkRoom linkRoom, DescriptorLink descriptorLink, Attributes attributes,
      UnaryOperator<Status> deathReport) {
    this.descriptorLink = descriptorLink;
    this.deathReport = deathReport;
    this.name = name;
    this.in = in;
    this.out = new BufferedOutputStream(out, BUFFER_SIZE);
    this.link = link;
    this.linkRoom = linkRoom;
    this.attributes = attributes;
    this.deadline = new ClosingDeadline("plumb-" + name + "-closer", CLOSE_GRACE_MILLIS,
        this::forceEnd);
  }

  @Override
  public void start(ConnectionHandler handler) {
    if (!lifecycle.start(handler)) {
      return;
    }
    this.handler = handler;
    writer = DaemonThreads.newThread("plumb-" + name + "-writer", this::writeLoop);
    reader = DaemonThreads.newThread("plumb-" + name + "-reader", () -> readLoop(handler));
    reader.start();
    writer.start();
    // A close() during this method may have found no writer to bound (see armDeadline).
    if (lifecycle.isEnding()) {
      armDeadline();
    }
  }

  @Override
  public void write(Frame frame) {
    if (!lifecycle.isClosed()) {
      enqueue(frame);
    }
  }

  /** Queues {@code frame} for the writer, counting what the reader queues as it delivers. */
  private void enqueue(Frame frame) {
    queue.add(frame);
    if (delivering && Thread.currentThread() == reader) {
      owedBytes += frame.payloadLength();
    }
  }

  @Override
  public boolean canPassDescriptors() {
    return descriptorLink != null;
  }

  @Override
  public void write(Frame frame, RandomAccessFile[] descriptors) {
    if (descriptorLink == null) {
      throw new UnsupportedOperationException(name + " passes no descriptors");
    }
    if (lifecycle.isClosed()) {
      Descriptors.close(descriptors);
      return;
    }
    // Both queues in the same order: the caller (the session, under its lock) writes one
    // frame at a time.
    outboundDescriptors.add(new FrameDescriptors(frame, descriptors));
    enqueue(frame);
  }

  /**
   * Takes received descriptors only when a frame asks: junixsocket keeps what each read
   * brought, in order, so the read loop does no work for them.
   */
  @Override
  public FileDescriptor[] takeDescriptors(int count) {
    if (descriptorLink == null) {
      return count == 0 ? new FileDescriptor[0] : null;
    }
    // Not bounded here: the socket held them anyway (docs/SHARED_BUFFERS.md, known gaps).
    receivedDescriptors.add(descriptorLink.takeReceived(), Integer.MAX_VALUE);
    return receivedDescriptors.take(count);
  }

  @Override
  public void flush() {
    // The reader handing over a read's frames may queue many (the echoes of a burst of small
    // messages, from a directExecutor() service): it wakes the writer once, after the read,
    // not once per message. Past DEFERRED_FLUSH_BYTES it wakes it at once, so that a large
    // message's frames start leaving while the rest of it is framed.
    if (delivering && Thread.currentThread() == reader) {
      if (owedBytes < DEFERRED_FLUSH_BYTES) {
        flushAfterRead = true;
        return;
      }
      flushAfterRead = false;
      owedBytes = 0;
    }
    wakeWriter();
  }

  /** Has the writer thread send what is queued; returns at once. */
  private void wakeWriter() {
    // unpark before park makes that park return at once, so no wake-up is lost.
    Thread thread = writer;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Writes the queued frames on this thread if no one else is writing, as much as
   * {@link #budget} allows; leaves the rest to the writer thread. Lost frames are impossible: a
   * thread that finds the output lock taken wakes the writer, whose next round (after the
   * holder lets go) drains what the holder left.
   */
  @Override
  public void flushOnCallingThread() {
    if (queue.isEmpty()) {
      return;  // Whoever took the frames holds the output lock, and flushes before letting go.
    }
    Thread current = Thread.currentThread();
    if (current == writer || writer == null || !output.tryLock()) {
      wakeWriter();
      return;
    }
    long sent = 0;
    try {
      if (!lifecycle.isEnding() && callerWriteFailure == null) {
        long budget = budget(current == reader);
        if (budget > 0) {
          sent = drainQueue(budget);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      // The writer thread ends the connection, reporting this, once the reader had its say.
      callerWriteFailure = e;
    } finally {
      output.unlock();
    }
    reportSent(sent);
    if (callerWriteFailure != null || !queue.isEmpty()) {
      wakeWriter();
    }
  }

  /**
   * Wire bytes a thread other than the writer may write now, holding the output lock, up to
   * {@link #CALLING_THREAD_LIMIT}. The reader writes only what the link takes at once: the room
   * only grows until it writes (the peer only reads, and no one else writes), so its write
   * cannot wait; if the link cannot tell, nothing. An application thread writes up to the limit
   * whatever the room: a probe may answer none where a write would not wait (a pipe that holds
   * a few bytes), and handing over then would cost a wake-up of the writer.
   */
  private long budget(boolean onReader) {
    if (!onReader) {
      return CALLING_THREAD_LIMIT;
    }
    long room = linkRoom.bytesWritableWithoutBlocking();
    return room == LinkRoom.UNKNOWN ? 0 : Math.min(room, CALLING_THREAD_LIMIT);
  }

  /** On the writer thread: an application thread's failed write, as if it were the writer's. */
  private void rethrowCallerWriteFailure() throws IOException {
    Throwable failure = callerWriteFailure;
    if (failure instanceof IOException) {
      throw (IOException) failure;
    } else if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    } else if (failure instanceof Error) {
      throw (Error) failure;
    }
  }

  @Override
  public void close(Status reason) {
    if (lifecycle.close(reason)) {
      closeLink();
    } else {
      flush();
      armDeadline();
    }
  }

  /**
   * Bounds the end that has begun. Safe against a concurrent start: close() records the reason
   * before it reads {@link #writer}, start() sets the writer before it reads the reason (both
   * volatile), so at least one of them sees the other's write and arms.
   */
  /**
   * Sends nothing of Plumb's from now on and ends as {@link #close} does, but the writer first
   * waits for the reader, which talks to the peer through {@code answer} (the reader called
   * this, from the handler), half-closes once it is complete, and drops what the peer still
   * sends until it hangs up. The close deadline bounds it all.
   */
  @Override
  public void answerForeignPeer(ForeignPeerAnswer answer, Status reason) {
    foreign = answer;
    close(reason);
  }

  private void armDeadline() {
    Thread thread = writer;
    if (thread != null) {
      deadline.arm(thread);
    }
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  private void writeLoop() {
    try {
      while (true) {
        long sent;
        output.lock();
        try {
          rethrowCallerWriteFailure();
          sent = drainQueue(Long.MAX_VALUE);
        } finally {
          output.unlock();
        }
        reportSent(sent);
        if (lifecycle.isEnding() || lifecycle.isClosed()) {
          // close() may have come between the empty poll and this check, behind a last
          // frame (a GO_AWAY): send what was queued before it.
          if (!queue.isEmpty() && !lifecycle.isClosed()) {
            continue;
          }
          break;
        }
        // Look before sleeping: reportSent runs the handler, and with it application code
        // that may park this thread (a contended java.util.concurrent lock) and so use up the
        // wake-up of a flush that came meanwhile. A flush after this look wakes the park.
        if (queue.isEmpty()) {
          LockSupport.park(this);
        }
      }
    } catch (IOException e) {
      // The peer's end is gone. What it sent before going (junk, half a frame, an orderly
      // GO_AWAY) says more than the broken pipe, so let the reader finish first.
      awaitReader();
      fail(Status.UNAVAILABLE.withDescription("write to " + name + " failed: " + e.getMessage())
          .withCause(e));
    } catch (RuntimeException | Error e) {
      // A bug, or a stream that throws unchecked: the connection must still end with the reason.
      log.error("{}: writer failed; closing the connection", name, e);
      fail(Status.INTERNAL.withDescription("writer of " + name + " failed: " + e).withCause(e));
    } finally {
      queue.clear();
      dropDescriptors();
      if (foreign != null) {
        // The reader is answering the peer on the link: the output is its until it is done.
        awaitReader();
      }
      closeOutput(CLOSE_GRACE_MILLIS);
      // What was queued is sent: the calls may fail now, before the link is cleaned up.
      reportClosed();
      // Let the peer close its side first: a socket closed with input unread is reset, and the
      // peer would lose what it had not read yet (the last frames sent).
      awaitReader();
      closeLink();
    }
  }

  /** The deadline passed with the writer still ending: close the link under it, report. */
  private void forceEnd() {
    log.info("{}: the peer did not let the connection end within {} ms; closing the link",
        name, CLOSE_GRACE_MILLIS);
    closeLink();
    reportClosed();
  }

  /**
   * Tells the handler, once, why the connection ended, with what the transport knows of the
   * peer's end if the peer stopped.
   */
  private void reportClosed() {
    // The writer and the deadline's thread may both get here; the lifecycle's compare-and-set
    // lets one tell the handler, and neither holds a lock of this connection while it does.
    lifecycle.notifyClosed(() -> {
      Status reason = lifecycle.reasonOr(Status.UNAVAILABLE.withDescription(name + " closed"));
      return readerStopped ? deathReport.apply(reason) : reason;
    });
  }

  /** Tells the handler what the link took, with the output lock released (it may write). */
  private void reportSent(long bytes) {
    if (bytes > 0 && !lifecycle.isClosed()) {
      handler.onSent(bytes);
    }
  }

  /**
   * Writes the preface once, then queued frames in order while they fit in {@code budget} wire
   * bytes (the preface's included), and flushes. Holding {@link #output}. Returns the frames'
   * wire bytes written.
   */
  private long drainQueue(long budget) throws IOException {
    if (foreign != null) {
      queue.clear();  // Nothing of Plumb's for a peer of another protocol.
      dropDescriptors();
      return 0;
    }
    if (queue.isEmpty()) {
      // The preface goes with the first frame: a server says nothing before its peer's HELLO.
      return 0;
    }
    long preface = 0;
    if (!prefaceSent) {
      preface = Preface.LENGTH;
      if (preface > budget) {
        return 0;
      }
      out.write(Preface.bytes());
      prefaceSent = true;
    }
    long wireBytes = 0;
    Frame frame;
    // Peek, then poll: only the holder of the output lock takes frames out of the queue.
    while ((frame = queue.peek()) != null && preface + wireBytes + frame.wireLength() <= budget) {
      queue.poll();
      if (!outboundDescriptors.isEmpty() && outboundDescriptors.peek().frame == frame) {
        attachDescriptors(outboundDescriptors.poll());
      }
      wireBytes += frame.wireLength();
      headerBuffer.clear();
      FrameCodec.writeHeader(frame, headerBuffer);
      out.write(header);
      writePayload(frame.payload());
      frame.release();  // The stream has taken the bytes (a buffered stream copies them).
    }
    out.flush();
    if (!sentDescriptors.isEmpty()) {
      sentDescriptors.forEach(sent -> Descriptors.close(sent.descriptors));
      sentDescriptors.clear();
    }
    return wireBytes;
  }

  /**
   * Makes the link's next write system call carry {@code next}'s descriptors, so they go with
   * the frame's first byte: what is buffered before it goes first, taking the descriptors of an
   * earlier frame with it (one system call more, for frames with descriptors only).
   */
  private void attachDescriptors(FrameDescriptors next) throws IOException {
    out.flush();
    FileDescriptor[] descriptors = new FileDescriptor[next.descriptors.length];
    for (int i = 0; i < descriptors.length; i++) {
      descriptors[i] = next.descriptors[i].getFD();
    }
    descriptorLink.setOutbound(descriptors);
    sentDescriptors.add(next);
  }

  /** The connection ends: closes the descriptors it was given and those it received. */
  private void dropDescriptors() {
    sentDescriptors.forEach(sent -> Descriptors.close(sent.descriptors));
    sentDescriptors.clear();
    FrameDescriptors unsent;
    while ((unsent = outboundDescriptors.poll()) != null) {
      Descriptors.close(unsent.descriptors);
    }
    if (descriptorLink != null) {
      receivedDescriptors.close();
      Descriptors.close(descriptorLink.takeReceived(), 0);
    }
  }

  /** A frame's descriptors, owned by the connection until they are sent. */
  private static final class FrameDescriptors {
    final Frame frame;
    final RandomAccessFile[] descriptors;

    FrameDescriptors(Frame frame, RandomAccessFile[] descriptors) {
      this.frame = frame;
      this.descriptors = descriptors;
    }
  }

  private void writePayload(ByteBuffer payload) throws IOException {
    if (payload.hasArray()) {
      out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
    } else {
      byte[] copy = new byte[payload.remaining()];
      payload.duplicate().get(copy);
      out.write(copy);
    }
  }

  private void readLoop(ConnectionHandler target) {
    FrameDecoder decoder = new FrameDecoder(target.maxFrameSize(), true);
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer chunk = ByteBuffer.allocate(0);
    Status ended;
    try {
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          ended = Status.UNAVAILABLE.withDescription(decoder.isAtFrameBoundary()
              ? "connection closed by peer (" + name + ")"
              : "connection closed by peer (" + name + ") in the middle of "
                  + decoder.describePartialInput());
          break;
        }
        chunk = ByteBuffer.wrap(buffer, 0, n);
        delivering = true;
        try {
          decoder.decode(chunk, frame -> {
            if (!lifecycle.isClosed()) {
              target.onFrame(frame);
            }
          });
          if (!lifecycle.isClosed()) {
            target.onReadComplete();
          }
        } finally {
          delivering = false;
        }
        if (flushAfterRead) {
          flushAfterRead = false;
          owedBytes = 0;
          // The reader may have written them itself meanwhile (the end of a call's side).
          if (!queue.isEmpty()) {
            wakeWriter();
          }
        }
      }
    } catch (ProtocolException e) {
      readerStopped = true;
      target.onProtocolError(e);
      ForeignPeerAnswer answer = foreign;
      if (answer != null) {
        answer(answer, chunk, buffer);
      }
      return;
    } catch (IOException e) {
      ended = Status.UNAVAILABLE.withDescription("read from " + name + " failed: "
          + e.getMessage()).withCause(e);
    } catch (RuntimeException | Error e) {
      // A bug above the transport must not leave a live link that nobody reads.
      log.error("{}: frame handler failed; closing the connection", name, e);
      ended = Status.INTERNAL.withDescription("frame handler failed: " + e).withCause(e);
    }
    readerStopped = true;
    fail(ended);
  }

  /**
   * On the reader: talks to a foreign peer through {@code answer}, from the rest of the read
   * that gave it away, until the answer is complete; then half-closes and reads to the peer's
   * end, dropping what comes, so that the link is not closed (a socket reset) with the peer's
   * bytes unread. The writer waits for this before it ends the link; if the peer stalls, the
   * close deadline closes the link under it.
   */
  private void answer(ForeignPeerAnswer answer, ByteBuffer rest, byte[] buffer) {
    try {
      ByteBuffer received = rest;
      while (true) {
        byte[] reply = answer.answer(received);
        output.lock();
        try {
          out.write(reply);
          out.flush();
        } finally {
          output.unlock();
        }
        if (answer.isComplete()) {
          break;
        }
        int n = in.read(buffer);
        if (n < 0) {
          return;
        }
        received = ByteBuffer.wrap(buffer, 0, n);
      }
      closeOutput(CLOSE_GRACE_MILLIS);
      while (in.read(buffer) >= 0) {
        // Dropped: the peer speaks another protocol.
      }
    } catch (IOException e) {
      log.debug("{}: answering a peer of another protocol: {}", name, e.toString());
    }
  }

  private void awaitReader() {
    try {
      reader.join(READER_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The link broke (or the peer ended it): stop the writer, report once. */
  private void fail(Status status) {
    lifecycle.end(status);
    flush();
    armDeadline();
  }

  /**
   * Closes {@code out} under the output lock, if that comes within {@code millis}: this
   * half-closes the link (see the constructor). It may not: an application thread can stay
   * blocked in a write to a peer that does not read; closing the link then frees it.
   */
  private void closeOutput(long millis) {
    try {
      if (!output.tryLock(millis, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      // Unchecked too: a stream that failed with a bug fails again here (close flushes), and
      // the handler must still hear that the connection closed.
      log.debug("{}: closing output: {}", name, e.toString());
    } finally {
      output.unlock();
    }
  }

  /**
   * Closes the link, once (the writer and the deadline's thread may race here: the
   * compare-and-set picks one), after this side's output if no one is writing to it.
   */
  private void closeLink() {
    if (!linkClosed.compareAndSet(false, true)) {
      return;
    }
    closeOutput(0);
    try {
      link.close();
    } catch (IOException e) {
      log.debug("{}: closing link: {}", name, e.getMessage());
    }
  }
}
