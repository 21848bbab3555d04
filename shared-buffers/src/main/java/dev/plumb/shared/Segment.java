package dev.plumb.shared;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;

/**
 * One memfd of this process, by its descriptor number: what a {@link SharedBuffer} writes and
 * seals and what a {@link SharedBufferView} of its own process maps. Java cannot map or write a
 * bare descriptor, so both reopen it through {@code /proc/self/fd/<n>}, which for a memfd opens
 * the same memory; a read-only reopen can map it read-only only.
 *
 * <p>Thread-safe. Reopening and closing hold the monitor, so that a reopen never follows the
 * number of a closed descriptor to whatever file the kernel gave that number next.
 */
final class Segment implements AutoCloseable {
  private final int fd;
  private final long length;
  private boolean closed;

  private Segment(int fd, long length) {
    this.fd = fd;
    this.length = length;
  }

  /** A new, writable segment of {@code length} zero bytes. */
  static Segment create(long length) throws IOException {
    return new Segment(Memfd.create(length), length);
  }

  long length() {
    return length;
  }

  /** A channel that writes into the segment until it is sealed; the caller closes it. */
  synchronized FileChannel openWritable() throws IOException {
    return reopen("rw");
  }

  /**
   * Seals the segment: its bytes and size are fixed from now on, for every holder of a
   * descriptor. No writable mapping may exist (the kernel refuses with EBUSY).
   */
  synchronized void seal() throws IOException {
    checkOpen();
    Memfd.seal(fd);
  }

  /**
   * A read-only channel on the segment, after checking that it is sealed and
   * {@code expectedLength} long: a segment that its sender could still change, or that is not
   * what the reference says, is refused.
   *
   * @throws IOException if the segment is unsealed or has another length
   */
  synchronized FileChannel openReadOnly(long expectedLength) throws IOException {
    checkOpen();
    RandomAccessFile file = new RandomAccessFile(procPath(fd), "r");
    try {
      checkSealed(fd);
      checkLength(file.length(), expectedLength);
      return file.getChannel();
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * Checks that {@code fd} is a sealed segment: one whose bytes, size and seals nobody can
   * change any more.
   *
   * @throws IOException if it is unsealed or not a memfd
   */
  static void checkSealed(int fd) throws IOException {
    int seals = Memfd.seals(fd);
    if ((seals & Memfd.SEALED) != Memfd.SEALED) {
      throw new IOException("the shared buffer is not sealed (seals 0x"
          + Integer.toHexString(seals) + "): its sender could still change it");
    }
  }

  /** Checks that a segment of {@code size} bytes is what its reference says. */
  static void checkLength(long size, long expectedLength) throws IOException {
    if (size != expectedLength) {
      throw new IOException("the shared buffer is " + size + " bytes long, its reference says "
          + expectedLength);
    }
  }

  /**
   * A read-only descriptor of its own, to send to a peer beside a message: it keeps the
   * segment alive however soon the {@link SharedBuffer} is closed. The caller closes it once
   * sent.
   */
  synchronized RandomAccessFile reopenForPeer() throws IOException {
    checkOpen();
    return new RandomAccessFile(procPath(fd), "r");
  }

  /** Closes this process's descriptor; mappings and reopened channels keep the memory. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Memfd.close(fd);
    }
  }

  private FileChannel reopen(String mode) throws IOException {
    checkOpen();
    return new RandomAccessFile(procPath(fd), mode).getChannel();
  }

  static String procPath(int fd) {
    return "/proc/self/fd/" + fd;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the shared buffer is closed");
    }
  }
}
