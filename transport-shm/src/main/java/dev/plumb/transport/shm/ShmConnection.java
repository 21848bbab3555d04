package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.AttachFrames;
import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.ProtocolException;
import dev.plumb.rpc.kit.ConnectionLifecycle;
import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.kit.ReceivedDescriptors;
import dev.plumb.rpc.log.RateLimitedWarnings;
import dev.plumb.rpc.spi.CallerRead;
import dev.plumb.rpc.spi.Connection;
import dev.plumb.rpc.spi.ConnectionHandler;
import dev.plumb.rpc.spi.Descriptors;
import dev.plumb.transport.unix.UnixDescriptors;
import io.grpc.Attributes;
import io.grpc.Status;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.newsclub.net.unix.AFUNIXSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Connection} over two rings in shared memory, one per direction, with the rendezvous
 * Unix socket beside them for doorbells and for noticing the peer's death.
 *
 * <p>Each record of a ring holds one frame, laid out as {@link FrameCodec} draws it (the
 * 10-byte header, then the payload), so that every record passes through the core's
 * {@link FrameDecoder} and its checks; the decoder copies the payload once, out of the ring,
 * into the frame it delivers. The header's length field repeats the record's and is checked
 * against it (a record must hold exactly one whole frame).
 *
 * <p>Threads:
 * <ul>
 *   <li><b>Writing</b> never blocks: {@link #write} queues (lock-free), {@link #flush} copies
 *       queued frames straight into ring space ({@link SpscRing#tryClaim}) on the caller's
 *       thread if no other thread is doing so and the ring has room. Only one thread at a time
 *       is the ring's producer: the one holding {@link #draining}, which it releases after
 *       each pass and then re-checks the queue, so no queued frame is left behind. A full ring
 *       hands the work to the writer thread, which holds the producer role while it waits for
 *       space (back-pressure: frames wait in the queue, none is dropped) and sends what is queued
 *       when the connection closes.
 *   <li>The <b>reader</b> polls the inbound ring and hands frames to the handler in order; when
 *       the ring stays empty it waits by the {@link IdleStrategy}. A blocking caller may take
 *       its turn ({@link #startCallerRead}, {@link ConsumerTurn}): it then polls the ring and
 *       delivers the frames itself while it waits for its answer, and the reader sleeps.
 *   <li>The <b>watcher</b> blocks reading the rendezvous socket: a doorbell byte unparks the
 *       reader ({@link #DOORBELL_DATA}) or the writer ({@link #DOORBELL_SPACE}); descriptors
 *       (which come with a {@link #DESCRIPTORS} byte) wait in {@link ReceivedDescriptors} for
 *       the ATTACH records that claim them; any other byte is a protocol error, reported to the
 *       handler as a bad record is; end-of-file or an error means the peer is gone, and fails
 *       the connection, waking everyone.
 *   <li>The <b>doorbell</b> thread ({@link DoorbellSender}) writes the doorbell bytes the others
 *       ask for, and the descriptors of frames, so that neither a flusher (perhaps under the
 *       core's session lock) nor the reader blocks on the socket when a peer stops reading it;
 *       closing the socket ends its write.
 * </ul>
 *
 * <p>Descriptors (attachments, docs/SHARED_BUFFERS.md): a frame's descriptors go to the doorbell
 * thread before the frame goes to the queue, so they reach the socket around the time the
 * frame's record is published, sometimes after. The reader, meeting an ATTACH record, waits
 * for its descriptors before it hands the frame to the core ({@link #awaitDescriptors}), so
 * that {@link #takeDescriptors} never waits, and the core's lock is never held while it does.
 *
 * <p>Doorbells: a side rings only when the other announced in the ring's flag that it sleeps
 * (see {@link SpscRing}'s handshake), so a busy connection sends no bytes over the socket at
 * all, and each announcement is answered by at most one byte.
 *
 * <p>Close: the writer thread ends every connection. It sends what is queued (for at most
 * {@link #CLOSE_GRACE_MILLIS} if the ring stays full), closes the socket (the peer sees
 * end-of-file after the last record it could read), waits for the reader and the watcher to
 * stop, unmaps the segment ({@link #releaseSegment}), then tells the handler, exactly once.
 */
final class ShmConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(ShmConnection.class);
  /** What each connection can cause (a peer's bad ring, sizes that do not fit): rate-limited. */
  private static final RateLimitedWarnings connectionWarnings =
      RateLimitedWarnings.forPeers(log);
  /** Doorbell: the ring you consume has records. */
  static final byte DOORBELL_DATA = 'D';
  /** Doorbell: the ring you produce into has space. */
  static final byte DOORBELL_SPACE = 'S';
  /** Not a doorbell: the byte that carries a frame's descriptors ({@code SCM_RIGHTS}). */
  static final byte DESCRIPTORS = 'F';
  /**
   * How long the reader waits for the descriptors of an ATTACH record. An honest peer's come
   * within its doorbell thread's next turn; a peer that never sends them stalls its own
   * connection for this long, after which the core ends the stream that named them.
   */
  private static final long DESCRIPTOR_WAIT_MILLIS = 10_000;
  /** Records handed to the handler before the reader frees their space. */
  private static final int BATCH = 64;
  static final long CLOSE_GRACE_MILLIS = 2_000;

  private enum Drain { EMPTY, BLOCKED }

  private final String name;
  private final AFUNIXSocket socket;
  /** The memory of both rings; unmapped by {@link #releaseSegment} once nothing touches it. */
  private final Segment segment;
  private final InputStream in;
  private final SpscRing inbound;
  private final SpscRing outbound;
  private final IdleStrategy idle;
  private final Attributes attributes;
  private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
  /** Held by the one thread that is the outbound ring's producer right now. */
  private final AtomicBoolean draining = new AtomicBoolean();
  /**
   * Wire bytes of frames copied into the ring and not yet reported as sent: the producer adds,
   * and whoever lets go of {@link #draining} reports (any thread may take the sum).
   */
  private final AtomicLong copiedUnreported = new AtomicLong();
  /** Set by start, before any frame is written. */
  private volatile ConnectionHandler handler;
  /** Start versus close, the status the handler hears (the first reason wins), told once. */
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  /** Sends the doorbells the reader and the producers ask for; they never block on the socket. */
  private final DoorbellSender doorbells;
  /** The rendezvous socket's {@code SCM_RIGHTS}: frames' descriptors, both ways. */
  private final UnixDescriptors descriptorLink;
  /** Descriptors the watcher received, until ATTACH records claim them. */
  private final ReceivedDescriptors received = new ReceivedDescriptors();
  /** The connection is ending: threads stop. */
  private volatile boolean stopping;
  /** The peer closed its end: the reader delivers what the peer left in the ring first. */
  private volatile boolean peerGone;
  private volatile Thread reader;
  private volatile Thread writer;
  private Thread watcher;
  /** Who polls the inbound ring: the reader, or a blocking caller for the time of its wait. */
  private final ConsumerTurn turn;
  /** The turn's: a blocking caller's reads, one object for all (one holder at a time). */
  private final CallerRead callerRead = new CallerTurnRead();
  /** A bad record, a corrupt ring or a failing handler ended reading: nobody polls again. */
  private volatile boolean readingEnded;
  /** Set by start, before the handler is published; used by the turn's holder only. */
  private SpscRing.RecordHandler records;
  /** The turn's holder's: frames the current record decoded into. */
  private int framesInRecord;

  ShmConnection(String name, AFUNIXSocket socket, Segment segment, SpscRing inbound,
      SpscRing outbound, IdleStrategy idle, Attributes attributes) throws IOException {
    this.name = name;
    this.socket = socket;
    this.segment = segment;
    this.in = socket.getInputStream();
    this.descriptorLink = UnixDescriptors.of(socket);
    this.doorbells = new DoorbellSender("plumb-" + name, socket.getOutputStream(),
        descriptorLink);
    this.inbound = inbound;
    this.turn = new ConsumerTurn(inbound);
    this.outbound = outbound;
    this.idle = idle;
    this.attributes = attributes;
  }

  @Override
  public void start(ConnectionHandler handler) {
    if (!lifecycle.start(handler)) {
      return;
    }
    FrameDecoder decoder = new FrameDecoder(handler.maxFrameSize(), false);
    records = record -> decodeRecord(decoder, record, handler);
    this.handler = handler;  // Publishes records to callers that read the handler first.
    int largest = inbound.maxPayload() - FrameCodec.HEADER_LENGTH;
    if (handler.maxFrameSize() > largest) {
      String why = name + ": frames of up to " + handler.maxFrameSize() + " bytes (this side's"
          + " max frame size) do not fit the shm: ring, whose records hold at most " + largest
          + " payload bytes; raise ringSize on the server or lower maxFrameSize";
      connectionWarnings.warn("frame-size", "{}", why);
      fail(Status.UNAVAILABLE.withDescription(why), false);
    }
    reader = daemon(() -> readLoop(handler), "reader");
    turn.setReader(reader);
    writer = daemon(this::writeLoop, "writer");
    watcher = daemon(() -> watchLoop(handler), "watcher");
    reader.start();
    watcher.start();
    doorbells.start();
    writer.start();
  }

  private Thread daemon(Runnable body, String role) {
    return DaemonThreads.newThread("plumb-" + name + "-" + role, body);
  }

  @Override
  public void write(Frame frame) {
    if (!stopping) {
      queue.add(frame);
    }
  }

  @Override
  public boolean canPassDescriptors() {
    return true;
  }

  @Override
  public void write(Frame frame, RandomAccessFile[] descriptors) {
    if (stopping) {
      Descriptors.close(descriptors);
      return;
    }
    // Handed over first, and in the order of their frames: the peer's reader waits for a
    // record's descriptors, never the other way round.
    doorbells.send(descriptors);
    queue.add(frame);
  }

  /**
   * A blocking caller's turn at the inbound ring, if nobody else has it. The caller's polls
   * deliver frames as the reader's do; while the turn lasts the reader sleeps, and the peer
   * rings no doorbells. Not with {@code idle=spin}: its reader never sleeps, it has a core.
   */
  @Override
  public CallerRead startCallerRead() {
    if (idle == IdleStrategy.SPIN || handler == null || stopping || readingEnded
        || !turn.takeForCaller()) {
      return null;
    }
    return callerRead;
  }

  /**
   * The turn's holder, inside the handler's {@code onFrame}: never waits
   * ({@link #awaitDescriptors}).
   */
  @Override
  public FileDescriptor[] takeDescriptors(int count) {
    return received.take(count);
  }

  @Override
  public void flush() {
    while (!stopping && !queue.isEmpty()) {
      // Someone else is the producer: it re-checks the queue when it lets go.
      if (!draining.compareAndSet(false, true)) {
        return;
      }
      Drain result;
      try {
        result = drainHeld();
      } finally {
        draining.set(false);
      }
      reportSent();
      if (result == Drain.BLOCKED) {
        // The ring is full: the writer thread waits for space, this caller must not.
        LockSupport.unpark(writer);
        return;
      }
    }
  }

  @Override
  public void close(Status reason) {
    if (lifecycle.close(reason)) {
      // Closed before start: no thread of this connection ever ran.
      stopping = true;
      closeSocket();
      releaseSegment();
      return;
    }
    LockSupport.unpark(writer);
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  /** Tells the handler what was copied into the ring. Not holding {@link #draining}. */
  private void reportSent() {
    long bytes = copiedUnreported.getAndSet(0);
    if (bytes > 0 && !lifecycle.isClosed()) {
      handler.onSent(bytes);
    }
  }

  /**
   * Copies queued frames into the outbound ring while it has room. The caller holds
   * {@link #draining}. Rings the peer's doorbell if it published anything and the peer sleeps.
   */
  private Drain drainHeld() {
    boolean published = false;
    long copied = 0;
    try {
      Frame frame;
      while ((frame = queue.peek()) != null) {
        if (stopping) {
          queue.clear();
          return Drain.EMPTY;
        }
        int length = frame.wireLength();
        if (length > outbound.maxPayload()) {
          queue.clear();
          String why = name + ": a " + frame.type() + " frame of " + frame.payloadLength()
              + " bytes does not fit the shm: ring (records of at most " + outbound.maxPayload()
              + " bytes)";
          connectionWarnings.warn("record-size", "{}", why);
          fail(Status.INTERNAL.withDescription(why), false);
          return Drain.EMPTY;
        }
        ByteBuffer space;
        try {
          space = outbound.tryClaim(length);
        } catch (SpscRing.CorruptRingException e) {
          failCorruptOutbound(e);
          return Drain.EMPTY;
        }
        if (space == null) {
          return Drain.BLOCKED;
        }
        // The frame is encoded straight into ring space: header, then payload, one copy.
        copied += length;
        FrameCodec.writeHeader(frame, space);
        space.put(frame.payload());
        frame.release();
        outbound.commit();
        queue.poll();
        published = true;
      }
      return Drain.EMPTY;
    } finally {
      copiedUnreported.addAndGet(copied);
      if (published && outbound.takeConsumerSleeps()) {
        doorbells.request(DOORBELL_DATA);
      }
    }
  }

  private void writeLoop() {
    long closeDeadline = 0;
    while (!stopping) {
      if (queue.isEmpty()) {
        if (lifecycle.isEnding()) {
          break;
        }
        // Woken by close, by failure, or by a flusher that found the ring full.
        LockSupport.park(this);
        continue;
      }
      if (!draining.compareAndSet(false, true)) {
        // A flusher is copying frames in; it never waits, so this is brief.
        Thread.yield();
        continue;
      }
      try {
        while (drainHeld() == Drain.BLOCKED && !stopping) {
          if (lifecycle.isEnding() && closeDeadline == 0) {
            closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
          }
          if (!awaitSpaceHeld(closeDeadline)) {
            break;
          }
        }
      } finally {
        draining.set(false);
      }
      reportSent();
      if (closeDeadline != 0 && System.nanoTime() - closeDeadline > 0) {
        log.debug("{}: closing with {} frames unsent: the peer read nothing for {} ms", name,
            queue.size(), CLOSE_GRACE_MILLIS);
        break;
      }
    }
    finish();
  }

  /**
   * Waits until the frame at the head of the queue fits, holding the producer role. The peer's
   * reader rings {@link #DOORBELL_SPACE} after freeing space if this side announced it waits.
   *
   * @param deadline a {@link System#nanoTime} after which to give up (closing), or 0 for none
   * @return false if the connection is ending or the deadline passed
   */
  private boolean awaitSpaceHeld(long deadline) {
    Frame next = queue.peek();
    if (next == null) {
      return true;
    }
    int length = next.wireLength();
    IdleStrategy.Idler idler = idle.idler();
    try {
      while (!stopping) {
        if (outbound.hasRoomFor(length) || (lifecycle.isEnding() && deadline == 0)) {
          return true;  // Room; or close came: the caller sets the grace deadline and retries.
        }
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
          return false;
        }
        if (idler.idle()) {
          RingWaits.sleepUntilRoom(outbound, length, () -> stopping, deadline, this);
          idler.reset();
        }
      }
    } catch (SpscRing.CorruptRingException e) {
      failCorruptOutbound(e);
    }
    return false;
  }

  /**
   * The peer wrote a head this side's producer cannot trust: the link ends with INTERNAL naming
   * it. The reader is not involved, so the status reaches the core as the close's reason.
   */
  private void failCorruptOutbound(SpscRing.CorruptRingException e) {
    String why = name + ": the peer's shm: ring is corrupt: " + e.getMessage();
    connectionWarnings.warn("corrupt", "{}", why);
    fail(Status.INTERNAL.withDescription(why), false);
  }

  private void readLoop(ConnectionHandler target) {
    IdleStrategy.Idler idler = idle.idler();
    while (true) {
      if (readingEnded || (stopping && !peerGone)) {
        break;  // Closed here, or reading failed: nothing more is delivered.
      }
      if (!turn.readerTakes()) {
        turn.readerAwaitsCaller(stopping, this);
        continue;
      }
      // The turn is kept while records keep coming: one CAS per burst, not per poll. A caller
      // that finds it taken meanwhile waits as callers without a turn do.
      boolean delivered = false;
      int handled;
      try {
        while ((handled = pollHeld(target)) > 0 && !(stopping && !peerGone)) {
          delivered = true;
        }
      } finally {
        turn.readerReleases();
      }
      if (handled < 0) {
        break;
      }
      if (handled > 0) {
        continue;  // Closed while records kept coming: the loop's first check stops it.
      }
      if (delivered) {
        idler.reset();
      }
      if (stopping) {
        break;  // The peer is gone and everything it published was delivered.
      }
      if (idler.idle()) {
        turn.readerSleepsUntilRecord(() -> stopping, this);
        idler.reset();
      }
    }
  }

  /**
   * One poll of the inbound ring by the turn's holder (the reader or a blocking caller).
   *
   * @return the number of records delivered, or -1 if reading ended: a bad record or a corrupt
   *     ring (the handler was told), or a handler that failed (the connection is failing)
   */
  private int pollHeld(ConnectionHandler target) {
    try {
      int handled = inbound.poll(records, BATCH);
      if (handled > 0) {
        target.onReadComplete();
        if (inbound.takeProducerWaits()) {
          doorbells.request(DOORBELL_SPACE);
        }
      }
      return handled;
    } catch (BadRecord e) {
      readingEnded = true;
      target.onProtocolError(e.error);
    } catch (SpscRing.CorruptRingException e) {
      readingEnded = true;
      target.onProtocolError(ProtocolException.malformed(name + ": the peer's shm: ring is"
          + " corrupt: " + e.getMessage()));
    } catch (RuntimeException | Error e) {
      // A bug above the transport must not leave a live link that nobody reads.
      readingEnded = true;
      log.error("{}: frame handler failed; closing the connection", name, e);
      fail(Status.INTERNAL.withDescription("frame handler failed: " + e).withCause(e), false);
    }
    LockSupport.unpark(reader);  // If a caller met it, the reader is to stop too.
    return -1;
  }

  /** A blocking caller's turn: its polls are the reader's, on the caller's thread. */
  private final class CallerTurnRead implements CallerRead {
    @Override
    public boolean poll() {
      if (readingEnded || (stopping && !peerGone) || !turn.heldByCurrentThread()) {
        return false;
      }
      return pollHeld(handler) > 0;
    }

    @Override
    public void close() {
      if (turn.heldByCurrentThread()) {
        turn.giveBackFromCaller(stopping || readingEnded);
      }
    }
  }

  /** One record: exactly one whole frame, checked by the core's decoder. The turn's holder. */
  private void decodeRecord(FrameDecoder decoder, ByteBuffer record, ConnectionHandler target) {
    int length = record.remaining();
    framesInRecord = 0;
    try {
      decoder.decode(record, frame -> {
        framesInRecord++;
        if (frame.type() == FrameType.ATTACH) {
          awaitDescriptors(frame);
        }
        if (!lifecycle.isClosed()) {
          target.onFrame(frame);
        }
      });
      if (framesInRecord != 1 || !decoder.isAtFrameBoundary()) {
        throw ProtocolException.malformed("a shm: record of " + length + " bytes holds "
            + (framesInRecord == 0 ? "no whole frame, only " + decoder.describePartialInput()
                : framesInRecord + " frames") + "; a record must hold exactly one frame");
      }
    } catch (ProtocolException e) {
      throw new BadRecord(e);
    }
  }

  /**
   * Waits, on the turn's holder and holding no lock, until the descriptors {@code attach}
   * names have come over the socket (the watcher files them), the connection ends, or
   * {@link #DESCRIPTOR_WAIT_MILLIS} passed; then the core takes them or finds fewer. A
   * malformed ATTACH is left to the core to refuse.
   */
  private void awaitDescriptors(Frame attach) {
    int count;
    try {
      count = AttachFrames.parse(attach).descriptors();
    } catch (ProtocolException e) {
      return;
    }
    if (count > 0 && !received.await(count, TimeUnit.MILLISECONDS.toNanos(
        DESCRIPTOR_WAIT_MILLIS)) && !stopping) {
      connectionWarnings.warn("descriptors-late", "{}: an ATTACH on stream {} names {}"
          + " descriptors; {} came within {} ms", name, attach.streamId(), count,
          received.size(), DESCRIPTOR_WAIT_MILLIS);
    }
  }

  /** Carries a record's protocol error out of {@link SpscRing#poll}. */
  private static final class BadRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ProtocolException error;

    BadRecord(ProtocolException error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }

  private void watchLoop(ConnectionHandler handler) {
    byte[] bytes = new byte[64];
    try {
      while (true) {
        int n = in.read(bytes);
        if (!fileReceivedDescriptors(handler)) {
          return;
        }
        if (n < 0) {
          fail(Status.UNAVAILABLE.withDescription("peer closed the shm: rendezvous socket ("
              + name + ")"), true);
          return;
        }
        for (int i = 0; i < n; i++) {
          if (bytes[i] == DOORBELL_DATA) {
            turn.doorbellForReader();
            LockSupport.unpark(reader);
          } else if (bytes[i] == DOORBELL_SPACE) {
            LockSupport.unpark(writer);
          } else if (bytes[i] != DESCRIPTORS) {
            // A protocol error like a bad record: the core tells the peer in a GO_AWAY (the
            // rings still work) and logs it, rate-limited.
            handler.onProtocolError(ProtocolException.malformed(name + ": the peer sent "
                + String.format("0x%02x", bytes[i] & 0xff)
                + " on the shm: rendezvous socket, which carries only doorbells (D, S) and"
                + " descriptors (F)"));
            return;
          }
        }
      }
    } catch (IOException e) {
      if (!stopping) {
        fail(Status.UNAVAILABLE.withDescription("the shm: rendezvous socket failed (" + name
            + "): " + e.getMessage()).withCause(e), true);
      }
    }
  }

  /**
   * Watcher, after each read: files the descriptors the read brought. False if the peer sent
   * more than this side lets wait for their ATTACH records (none at all, if it takes no
   * attachments): a protocol error, reported to the handler.
   */
  private boolean fileReceivedDescriptors(ConnectionHandler handler) {
    FileDescriptor[] came = descriptorLink.takeReceived();
    if (came == null || came.length == 0) {
      return true;
    }
    int limit = handler.maxDescriptors();
    if (received.add(came, limit)) {
      return true;
    }
    handler.onProtocolError(limit == 0
        ? ProtocolException.malformed(name + ": the peer sent descriptors on the shm: rendezvous"
            + " socket; this side takes no attachments")
        : new ProtocolException(Status.RESOURCE_EXHAUSTED.withDescription(name + ": the peer"
            + " sent more descriptors than the " + limit + " this side holds for attachments"
            + " (maxAttachmentDescriptors) ahead of the ATTACH records that claim them")));
    return false;
  }

  /** The link is going down for {@code status}: everyone stops; the writer thread finishes. */
  private void fail(Status status, boolean byPeer) {
    lifecycle.end(status);
    if (byPeer) {
      peerGone = true;  // Before stopping: the reader must see it when it sees stopping.
    }
    stopping = true;
    LockSupport.unpark(reader);
    LockSupport.unpark(writer);
  }

  /** Writer thread, last: closes the socket, waits for the others, tells the handler once. */
  private void finish() {
    stopping = true;
    queue.clear();
    LockSupport.unpark(reader);
    doorbells.stop();
    closeSocket();  // The peer sees end-of-file; this side's watcher's read and doorbell write end.
    join(reader);
    join(watcher);
    join(doorbells.thread());
    doorbells.closeUnsent();
    received.close();
    releaseSegment();
    lifecycle.notifyClosed(lifecycle.reasonOr(Status.UNAVAILABLE.withDescription(name
        + " closed")));
  }

  /**
   * Unmaps the segment, which is safe only once no thread can touch the rings again; the
   * caller has set {@link #stopping}. The threads that touch them: the holder of the
   * consumer turn (the reader or a blocking caller: polls, flags), the writer (this thread, in
   * {@link #finish}, or none before start) and flushers on any thread, each inside
   * {@link #drainHeld} holding {@link #draining}. This takes
   * {@link #draining} and never lets go: a flusher inside finishes its pass (it never waits;
   * its accesses happen before its release of the flag, which happens before this CAS reads it),
   * and any later one finds the flag taken and returns without touching the ring. The reader
   * has been joined (a join happens after everything the thread did); if it is still alive
   * (stuck in the handler past the join's bound), the segment is left to the garbage collector;
   * so it is if a caller keeps the turn past the same bound. Taking the turn for good works as
   * taking {@link #draining} does, for callers.
   */
  private void releaseSegment() {
    while (!draining.compareAndSet(false, true)) {
      Thread.yield();  // A flusher is copying its last frames in; it never blocks.
    }
    Thread readerThread = reader;
    if (readerThread != null && readerThread.isAlive()) {
      log.warn("{}: the reader thread is still running; the segment stays mapped until a garbage"
          + " collection", name);
      return;
    }
    if (!turn.closeForGood(CLOSE_GRACE_MILLIS)) {
      log.warn("{}: a blocking caller still reads the ring {} ms after close; the segment stays"
          + " mapped until a garbage collection", name, CLOSE_GRACE_MILLIS);
      return;
    }
    segment.release();
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("{}: closing the rendezvous socket: {}", name, e.getMessage());
    }
  }

  private void join(Thread thread) {
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(CLOSE_GRACE_MILLIS);
      if (thread.isAlive()) {
        log.warn("{}: {} still running {} ms after close", name, thread.getName(),
            CLOSE_GRACE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
