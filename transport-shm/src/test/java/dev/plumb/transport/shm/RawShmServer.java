package dev.plumb.transport.shm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A hand-made {@code shm:} server for tests that play a hostile or broken peer: it accepts one
 * client on a rendezvous socket, hands it a segment it made itself (header written, then
 * {@code spoil} applied), and from then on lets the test write anything into the ring memory
 * and the socket. It never reads its socket unless the test does.
 */
final class RawShmServer implements AutoCloseable {
  private final AFUNIXServerSocket server;
  private final Path file;
  private final int capacity;
  private final MappedByteBuffer mapped;
  private final CompletableFuture<AFUNIXSocket> accepted = new CompletableFuture<>();

  private RawShmServer(AFUNIXServerSocket server, Path file, int capacity,
      MappedByteBuffer mapped) {
    this.server = server;
    this.file = file;
    this.capacity = capacity;
    this.mapped = mapped;
  }

  /**
   * Listens on {@code socketPath} and, on a thread of its own, greets the first client with a
   * segment of rings of {@code capacity} bytes whose header {@code spoil} may change.
   */
  static RawShmServer start(Path socketPath, int capacity, Consumer<ByteBuffer> spoil)
      throws IOException {
    Path file = Segment.DIRECTORY.resolve(Segment.PREFIX + ProcessHandle.current().pid()
        + "-rawtest" + System.nanoTime());
    long length = SegmentDescriptor.segmentLength(capacity);
    MappedByteBuffer mapped;
    RandomAccessFile segment = new RandomAccessFile(file.toFile(), "rw");
    segment.setLength(length);
    mapped = segment.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
    Files.delete(file);
    SegmentDescriptor.write(mapped, capacity);
    spoil.accept(mapped.duplicate().order(ByteOrder.nativeOrder()));
    AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
    server.bind(AFUNIXSocketAddress.of(socketPath));
    RawShmServer raw = new RawShmServer(server, file, capacity, mapped);
    Thread greeter = new Thread(() -> raw.greet(segment), "raw-shm-server");
    greeter.setDaemon(true);
    greeter.start();
    return raw;
  }

  private void greet(RandomAccessFile segment) {
    try (RandomAccessFile descriptor = segment) {
      AFUNIXSocket peer = server.accept();
      peer.setOutboundFileDescriptors(descriptor.getFD());
      peer.getOutputStream().write(Rendezvous.GREETING);
      peer.setOutboundFileDescriptors((java.io.FileDescriptor[]) null);
      accepted.complete(peer);
    } catch (IOException | RuntimeException e) {
      accepted.completeExceptionally(e);
    }
  }

  /** The client's socket once it has been greeted. */
  AFUNIXSocket client() throws Exception {
    return accepted.get(10, TimeUnit.SECONDS);
  }

  /** The raw memory of the ring the client reads (native order, position 0 = the ring). */
  ByteBuffer serverToClient() {
    return ring(SegmentDescriptor.serverToClientOffset(capacity));
  }

  /** The raw memory of the ring the client writes. */
  ByteBuffer clientToServer() {
    return ring(SegmentDescriptor.clientToServerOffset(capacity));
  }

  private ByteBuffer ring(long offset) {
    return mapped.slice((int) offset, (int) RingDescriptor.ringLength(capacity))
        .order(ByteOrder.nativeOrder());
  }

  /** Sends a doorbell byte, as a real peer does after publishing for a sleeping reader. */
  void ring(byte doorbell) throws Exception {
    client().getOutputStream().write(doorbell);
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      accepted.join().close();
    }
    Files.deleteIfExists(file);
  }
}
