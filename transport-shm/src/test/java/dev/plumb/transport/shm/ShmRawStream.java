package dev.plumb.transport.shm;

import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.testing.RawStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.BrokenPipeSocketException;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A raw {@code shm:} client for the bad-input suite: it does the real rendezvous (connects,
 * takes the greeting and the segment's descriptor, maps the segment), and from then on turns
 * the bytes a case writes into ring records and the server's records back into bytes.
 *
 * <p>Writing: each {@link OutputStream#flush} publishes every whole frame written since the
 * last one as a record of its own, as a real client does, and what is left (part of a frame, a
 * header whose length runs past what was written) as one more record: a record holds whatever
 * the peer put in it, and the server must refuse one that is not exactly one frame. There is
 * no preface on {@code shm:} (the greeting takes its place). Reading: the records the server
 * publishes, one after the other, as one byte stream; end-of-stream once the server has closed
 * the rendezvous socket and its last record is read.
 *
 * <p>Doorbells follow the ring's protocol ({@link SpscRing}): this side rings after publishing
 * if the server's reader sleeps, and after consuming if the server's writer waits; it sleeps on
 * the server's doorbells, which a watcher thread takes from the socket. The test thread alone
 * touches the rings.
 */
final class ShmRawStream implements RawStream {
  private static final long TIMEOUT_MILLIS = 10_000;

  private final AFUNIXSocket socket;
  private final MappedByteBuffer mapped;
  private final int capacity;
  private final SpscRing toServer;
  private final SpscRing fromServer;
  /** Released by the watcher for each data doorbell, and when the server hangs up. */
  private final Semaphore dataBell = new Semaphore(0);
  /** Released by the watcher for each space doorbell, and when the server hangs up. */
  private final Semaphore spaceBell = new Semaphore(0);
  private final Thread watcher;
  private volatile boolean serverClosed;
  private final ByteArrayOutputStream unpublished = new ByteArrayOutputStream();
  private ByteBuffer unread = ByteBuffer.allocate(0);

  private ShmRawStream(AFUNIXSocket socket, MappedByteBuffer mapped, int capacity) {
    this.socket = socket;
    this.mapped = mapped;
    this.capacity = capacity;
    this.toServer = new SpscRing(ring(SegmentDescriptor.clientToServerOffset(capacity)), capacity);
    this.fromServer =
        new SpscRing(ring(SegmentDescriptor.serverToClientOffset(capacity)), capacity);
    this.watcher = new Thread(this::watch, "shm-raw-stream-watcher");
    watcher.setDaemon(true);
  }

  /** Connects to the {@code shm:} server whose rendezvous socket is {@code socketPath}. */
  static ShmRawStream connect(Path socketPath) throws IOException {
    AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath));
    try {
      socket.setAncillaryReceiveBufferSize(1024);
      socket.setSoTimeout((int) TIMEOUT_MILLIS);
      byte[] greeting = socket.getInputStream().readNBytes(Rendezvous.GREETING.length);
      FileDescriptor[] received = socket.getReceivedFileDescriptors();
      if (!Arrays.equals(greeting, Rendezvous.GREETING) || received == null
          || received.length != 1) {
        throw new IOException("no shm: greeting with a segment from " + socketPath);
      }
      socket.setSoTimeout(0);
      MappedByteBuffer mapped = map(received[0]);
      int capacity;
      try {
        capacity = SegmentDescriptor.validate(mapped, mapped.capacity());
      } catch (SegmentDescriptor.BadSegmentException e) {
        throw new IOException(e);
      }
      ShmRawStream raw = new ShmRawStream(socket, mapped, capacity);
      raw.watcher.start();
      return raw;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static MappedByteBuffer map(FileDescriptor descriptor) throws IOException {
    FileDescriptorCast cast = FileDescriptorCast.using(descriptor);
    Path path = Path.of("/proc/self/fd/" + cast.as(Integer.class));
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        FileChannel channel = file.getChannel();
        FileInputStream close = cast.as(FileInputStream.class)) {
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
    }
  }

  private ByteBuffer ring(long offset) {
    return mapped.slice((int) offset, (int) RingDescriptor.ringLength(capacity));
  }

  // ---- what the bad-input suite uses ---------------------------------------------------------

  @Override
  public OutputStream out() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        unpublished.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        unpublished.write(bytes, offset, length);
      }

      @Override
      public void flush() throws IOException {
        publishWritten();
      }
    };
  }

  @Override
  public InputStream in() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        if (!unread.hasRemaining() && !nextRecord()) {
          return -1;
        }
        int n = Math.min(length, unread.remaining());
        unread.get(bytes, offset, n);
        return n;
      }
    };
  }

  // ---- what shm:-specific cases use ----------------------------------------------------------

  /** Publishes {@code record} as one record, whatever it holds. */
  void publishRecord(byte[] record) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    ByteBuffer space;
    while ((space = toServer.tryClaim(record.length)) == null) {
      awaitBell(spaceBell, deadline,
          () -> toServer.announceProducerWaitsAndRecheck(record.length),
          toServer::clearProducerWaits, "room in the server's ring");
    }
    space.put(record);
    toServer.commit();
    if (toServer.takeConsumerSleeps()) {
      ringData();
    }
  }

  /** Overwrites the tail of the ring the server reads, as a broken or hostile client would. */
  void publishTail(long tail) throws IOException {
    mapped.duplicate().order(ByteOrder.nativeOrder()).putLong(
        (int) SegmentDescriptor.clientToServerOffset(capacity) + RingDescriptor.TAIL_OFFSET,
        tail);
    ringData();
  }

  /**
   * Rings the server's data doorbell. A server whose reader was awake may already have found
   * what was published, answered it and hung up: the doorbell then meets a broken pipe, and the
   * answer waits in the server's ring for {@link #in} to read.
   */
  private void ringData() throws IOException {
    try {
      sendOnSocket(ShmConnection.DOORBELL_DATA);
    } catch (BrokenPipeSocketException e) {
      // The server has gone after answering; see above.
    }
  }

  /** Sends {@code b} on the rendezvous socket, which should carry doorbells only. */
  void sendOnSocket(byte b) throws IOException {
    socket.getOutputStream().write(b);
  }

  /** Sends {@code descriptor} on the rendezvous socket as a frame's descriptors go. */
  void sendDescriptorOnSocket(FileDescriptor descriptor) throws IOException {
    socket.setOutboundFileDescriptors(descriptor);
    sendOnSocket(ShmConnection.DESCRIPTORS);
  }

  // ---- the rings -----------------------------------------------------------------------------

  /** Publishes what was written: each whole frame as a record, then the rest as one. */
  private void publishWritten() throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(unpublished.toByteArray());
    unpublished.reset();
    while (bytes.hasRemaining()) {
      int length = bytes.remaining();
      if (length >= FrameCodec.HEADER_LENGTH) {
        long frame = FrameCodec.HEADER_LENGTH
            + Integer.toUnsignedLong(bytes.getInt(bytes.position()));
        length = (int) Math.min(frame, length);
      }
      byte[] record = new byte[length];
      bytes.get(record);
      publishRecord(record);
    }
  }

  /** Reads the server's next record into {@link #unread}; false at the end of the stream. */
  private boolean nextRecord() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    while (true) {
      // Read before polling: a record published before the hang-up is found by this poll.
      boolean closed = serverClosed;
      if (fromServer.poll(record -> unread = copy(record), 1) > 0) {
        if (fromServer.takeProducerWaits() && !serverClosed) {
          sendOnSocket(ShmConnection.DOORBELL_SPACE);
        }
        return true;
      }
      if (closed) {
        return false;
      }
      awaitBell(dataBell, deadline, fromServer::announceConsumerSleepsAndRecheck,
          fromServer::clearConsumerSleeps, "a record from the server");
    }
  }

  private static ByteBuffer copy(ByteBuffer record) {
    ByteBuffer copy = ByteBuffer.allocate(record.remaining());
    copy.put(record).flip();
    return copy;
  }

  /** What a sleeper announces and re-checks: whether it must still sleep. */
  @FunctionalInterface
  private interface Announce {
    boolean stillWaiting();
  }

  /**
   * The sleeping half of the doorbell protocol ({@link RingWaits}): announce, re-check, then
   * wait for the bell (a permit left by an earlier doorbell only makes the caller look again).
   */
  private void awaitBell(Semaphore bell, long deadline, Announce announce, Runnable clear,
      String what) throws IOException {
    try {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("no " + what + " within " + TIMEOUT_MILLIS + " ms");
      }
      if (announce.stillWaiting() && !serverClosed) {
        bell.tryAcquire(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    } finally {
      clear.run();
    }
    if (serverClosed && bell == spaceBell) {
      throw new IOException("the server closed the connection");
    }
  }

  /** The watcher: takes the server's doorbells off the socket until it hangs up. */
  private void watch() {
    byte[] bytes = new byte[64];
    try {
      int n;
      while ((n = socket.getInputStream().read(bytes)) >= 0) {
        for (int i = 0; i < n; i++) {
          (bytes[i] == ShmConnection.DOORBELL_SPACE ? spaceBell : dataBell).release();
        }
      }
    } catch (IOException e) {
      // Closed here, or broken: either way the server is gone for this stream.
    }
    serverClosed = true;
    dataBell.release();
    spaceBell.release();
  }

  /** Hangs up, waits for the watcher, unmaps the segment (only the test thread touched it). */
  @Override
  public void close() throws IOException {
    socket.close();
    try {
      watcher.join(TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Unmapper.unmap(mapped);
  }
}
