package dev.plumb.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Two {@link ByteRing}s in one memory-mapped file, one per direction: the raw shared-memory
 * mechanism between the driver (the client) and {@link RawEchoMain} {@code shm} (the server).
 * The client creates and sizes the file and maps it; the server maps it and unlinks it, so
 * once both have it nothing is left in the file system, even if both die; the client deletes
 * it too if the server never got that far. The mapping goes when the buffer is collected.
 */
public final class SharedMemoryLink implements AutoCloseable {
  /** Data bytes of each ring: a 256 KiB message fits four times, a 1 MiB write once. */
  public static final int RING_CAPACITY = 1 << 20;
  /** Each ring starts on a page of its own. */
  private static final int RING_STRIDE = (ByteRing.length(RING_CAPACITY) + 4095) & ~4095;

  private final ByteRing toServer;
  private final ByteRing toClient;

  private SharedMemoryLink(MappedByteBuffer map) {
    this.toServer = new ByteRing(map.slice(0, RING_STRIDE), RING_CAPACITY);
    this.toClient = new ByteRing(map.slice(RING_STRIDE, RING_STRIDE), RING_CAPACITY);
  }

  /**
   * A new file for a link: in {@code /dev/shm} (memory, never written back to a disk) where
   * there is one, else in {@code fallback}.
   */
  public static Path newFile(Path fallback, String tag) throws IOException {
    Path shm = Path.of("/dev/shm");
    Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : fallback;
    return Files.createTempFile(dir, "plumb-bench-" + tag + "-", ".ring");
  }

  /** The client's side: sizes the (new, empty) file and maps it; the counters start at 0. */
  public static SharedMemoryLink create(Path file) throws IOException {
    return new SharedMemoryLink(map(file));
  }

  /** The server's side: maps the file the client made, then unlinks it. */
  public static SharedMemoryLink openAndUnlink(Path file) throws IOException {
    SharedMemoryLink link = new SharedMemoryLink(map(file));
    Files.deleteIfExists(file);
    return link;
  }

  private static MappedByteBuffer map(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      // Mapping past the end grows the file (with zeros): both rings start empty and open.
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, 2L * RING_STRIDE);
    }
  }

  public InputStream clientIn() {
    return toClient.in();
  }

  public OutputStream clientOut() {
    return toServer.out();
  }

  public InputStream serverIn() {
    return toServer.in();
  }

  public OutputStream serverOut() {
    return toClient.out();
  }

  /** Closes both directions: readers see end-of-file, blocked writers fail. */
  @Override
  public void close() {
    toServer.close();
    toClient.close();
  }
}
