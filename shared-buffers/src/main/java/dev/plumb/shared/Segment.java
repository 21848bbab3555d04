package dev.plumb.shared;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;

/**
 * One memfd, by its descriptor number: what a {@link SharedBuffer} writes and seals and what a
 * {@link SharedBufferView} maps. Java cannot map or write a bare descriptor, so both reopen it
 * through {@code /proc/self/fd/<n>}, which for a memfd opens the same memory; a read-only
 * reopen can map it read-only only, whatever the peer that sent the descriptor could do.
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
    return openReadOnly(fd, expectedLength);
  }

  /**
   * {@link #openReadOnly(long)} for a descriptor this class does not own: one received from a
   * peer, which the caller closes after. Refuses a descriptor of anything but a sealed memfd.
   */
  static FileChannel openReadOnly(int fd, long expectedLength) throws IOException {
    return reopenReadOnly(fd, expectedLength).getChannel();
  }

  /** {@link #openReadOnly(int, long)}, as the file under the channel. */
  static RandomAccessFile reopenReadOnly(int fd, long expectedLength) throws IOException {
    int seals = Memfd.seals(fd);
    if ((seals & Memfd.SEALED) != Memfd.SEALED) {
      throw new IOException("the shared buffer is not sealed (seals 0x"
          + Integer.toHexString(seals) + "): its sender could still change it");
    }
    RandomAccessFile file = new RandomAccessFile(procPath(fd), "r");
    try {
      long size = file.length();
      if (size != expectedLength) {
        throw new IOException("the shared buffer is " + size + " bytes long, its reference says "
            + expectedLength);
      }
      return file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
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
