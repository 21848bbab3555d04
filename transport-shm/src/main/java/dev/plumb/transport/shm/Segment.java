package dev.plumb.transport.shm;

import dev.plumb.transport.shm.SegmentDescriptor.BadSegmentException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's shared-memory segment, mapped: the header and the two rings of
 * {@link SegmentDescriptor}.
 *
 * <p>The server {@linkplain #create creates} it as a file in {@code /dev/shm} named
 * {@code plumb-<pid>-<random>} with mode 0600, maps it and unlinks the name at once, before the
 * client has heard of it: from then on the memory is reachable only through the open file
 * descriptor, which the server passes to the client over the rendezvous socket
 * ({@code SCM_RIGHTS}), and through the two mappings. Nothing is left in {@code /dev/shm}
 * whoever is killed when; the kernel frees the memory when the last mapping and descriptor are
 * gone. Only a server killed in the microseconds between creating and unlinking leaves a name,
 * which the next listener of any pid {@linkplain #sweep sweeps} once that pid is dead.
 *
 * <p>The client {@linkplain #open maps} the received descriptor read-write by reopening it
 * through {@code /proc/self/fd/<n>} (Java cannot map a bare descriptor read-write), and checks
 * the header before touching a ring. That reopen checks the file's mode again, so for a client
 * of another uid that the allow-list admitted the server first widens the nameless file's mode
 * ({@link Created#admit}). Not junixsocket's read-write {@code FileChannel} for a descriptor:
 * in 2.11.1 it borrows {@code /dev/null} to build the channel and deletes that path when the
 * channel closes, which as root removes the system's {@code /dev/null}. Linux only
 * ({@code /dev/shm}).
 *
 * <p>The server allocates every page of a new segment before mapping it ({@link SegmentSpace}),
 * so that a full {@code /dev/shm} refuses the connection instead of faulting later. A segment
 * is unmapped by {@link #release} when its connection has ended ({@link Unmapper}), or by the
 * garbage collector where that is not possible.
 */
final class Segment {
  private static final Logger log = LoggerFactory.getLogger(Segment.class);
  static final Path DIRECTORY = Paths.get("/dev/shm");
  static final String PREFIX = "plumb-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MappedByteBuffer mapped;
  private final int capacity;
  private final AtomicBoolean released = new AtomicBoolean();

  private Segment(MappedByteBuffer mapped, int capacity) {
    this.mapped = mapped;
    this.capacity = capacity;
  }

  /**
   * Unmaps the segment now (once; later calls do nothing). The caller guarantees that no thread
   * touches this segment or a ring of it any more: the memory is gone, and a touch would crash
   * the JVM.
   */
  void release() {
    if (released.compareAndSet(false, true)) {
      Unmapper.unmap(mapped);
    }
  }

  int capacity() {
    return capacity;
  }

  /** A view of the client-to-server ring (each call makes a new one with its own state). */
  SpscRing clientToServer() {
    return ring(SegmentDescriptor.clientToServerOffset(capacity));
  }

  /** A view of the server-to-client ring. */
  SpscRing serverToClient() {
    return ring(SegmentDescriptor.serverToClientOffset(capacity));
  }

  private SpscRing ring(long offset) {
    return new SpscRing(mapped.slice((int) offset, (int) RingDescriptor.ringLength(capacity)),
        capacity);
  }

  /** A segment the server just made, and its open file, whose descriptor goes to the client. */
  static final class Created implements AutoCloseable {
    final Segment segment;
    final RandomAccessFile file;

    Created(Segment segment, RandomAccessFile file) {
      this.segment = segment;
      this.file = file;
    }

    FileDescriptor descriptor() throws IOException {
      return file.getFD();
    }

    /**
     * Lets an admitted client of another uid reopen the segment ({@link #open}): widens the
     * mode of the file, which has no name any more, to 0666. Only processes that hold its
     * descriptor can reach it now, through {@code /proc/<pid>/fd/<n>}, and the kernel follows
     * those links only for processes allowed to ptrace the holder; so the wider mode admits the
     * client this descriptor is sent to, and nobody who could not read the server's memory
     * anyway.
     */
    void admit(long peerUid, long ownUid) throws IOException {
      if (peerUid != ownUid) {
        Files.setPosixFilePermissions(procPath(file.getFD()),
            PosixFilePermissions.fromString("rw-rw-rw-"));
      }
    }

    /** Closes this process's descriptor; the mapping stays. */
    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  /**
   * Server: creates, allocates, maps and unlinks a segment with rings of {@code capacity} bytes,
   * header written and ready.
   *
   * @throws SegmentSpace.SegmentUnavailableException if {@code /dev/shm} cannot hold it
   */
  static Created create(int capacity) throws IOException {
    if (!Files.isDirectory(DIRECTORY)) {
      throw new IOException("shm: needs " + DIRECTORY + " (Linux's shared-memory file system),"
          + " which this system does not have");
    }
    long length = SegmentDescriptor.segmentLength(capacity);
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Path path = DIRECTORY.resolve(PREFIX + ProcessHandle.current().pid() + "-"
        + HexFormat.of().formatHex(random));
    Files.createFile(path, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    RandomAccessFile file = null;
    try {
      file = new RandomAccessFile(path.toFile(), "rw");
      SegmentSpace.allocate(file.getChannel(), capacity, length);
      MappedByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
      // The name goes as soon as the memory is reachable otherwise (descriptor and mapping).
      Files.delete(path);
      SegmentDescriptor.write(mapped, capacity);
      return new Created(new Segment(mapped, capacity), file);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      if (file != null) {
        file.close();
      }
      throw e;
    }
  }

  /**
   * Client: maps the segment whose descriptor arrived over the rendezvous socket, checks its
   * header, and closes the descriptor (the mapping keeps the memory).
   *
   * @throws BadSegmentException if the header does not describe a segment this side can use
   */
  static Segment open(FileDescriptor received) throws IOException, BadSegmentException {
    FileDescriptorCast cast = FileDescriptorCast.using(received);
    try {
      try (RandomAccessFile file = new RandomAccessFile(procPath(received).toFile(), "rw");
          FileChannel channel = file.getChannel()) {
        long size = channel.size();
        long largest = SegmentDescriptor.segmentLength(RingDescriptor.MAX_CAPACITY);
        if (size > largest) {
          throw new BadSegmentException("the shared-memory segment is " + size + " bytes long,"
              + " more than the largest layout (" + largest + " bytes)");
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        try {
          return new Segment(mapped, SegmentDescriptor.validate(mapped, size));
        } catch (BadSegmentException | RuntimeException e) {
          Unmapper.unmap(mapped);  // Nothing else has seen it.
          throw e;
        }
      }
    } finally {
      // Closing the channel leaves the received descriptor open; this closes it.
      try (FileInputStream close = cast.as(FileInputStream.class)) {
        // Nothing to read.
      }
    }
  }

  /** A path that reopens the file of this process's descriptor, even after its name is gone. */
  private static Path procPath(FileDescriptor descriptor) throws IOException {
    return Paths.get("/proc/self/fd/" + FileDescriptorCast.using(descriptor).as(Integer.class));
  }

  /**
   * Deletes segment names left by processes that died between creating and unlinking them
   * ({@code plumb-<pid>-*} whose pid is gone). Names of live processes are theirs.
   *
   * @return how many were deleted
   */
  static int sweep() {
    if (!Files.isDirectory(DIRECTORY)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> names = Files.newDirectoryStream(DIRECTORY, PREFIX + "*-*")) {
      for (Path path : names) {
        long pid = pidOf(path.getFileName().toString());
        if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
          try {
            Files.delete(path);
            deleted++;
            log.info("{}: deleted a shm: segment left by process {}, which is gone", path, pid);
          } catch (NoSuchFileException e) {
            // Another sweeper was first.
          } catch (IOException e) {
            log.debug("{}: cannot delete: {}", path, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      log.debug("cannot list {}: {}", DIRECTORY, e.getMessage());
    }
    return deleted;
  }

  /** The pid in {@code plumb-<pid>-<random>}, or -1 if the name has another form. */
  static long pidOf(String name) {
    if (!name.startsWith(PREFIX)) {
      return -1;
    }
    int dash = name.indexOf('-', PREFIX.length());
    String digits = dash < 0 ? "" : name.substring(PREFIX.length(), dash);
    if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(digits);
  }
}
