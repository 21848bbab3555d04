package dev.plumb.rpc.attach;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * One attachment to send: a token that names it to the receiver, its length, and a read-only
 * file of its own to read it from (a sealed memory segment's descriptor). The call's
 * {@link CallAttachments} holds it until the call ends, so that every attempt of a retried
 * call can send it; then it is closed.
 *
 * <p>Thread-safe: positional reads only, and the file's own close.
 */
public final class Attachment implements AutoCloseable {
  /** Bytes of a token on the wire. */
  public static final int TOKEN_LENGTH = 16;

  private final byte[] token;
  private final long length;
  private final RandomAccessFile source;
  private final Reopener reopener;
  /** Under the monitor, as every reopen: none follows the number of a closed descriptor. */
  private boolean closed;

  /** Opens another read-only descriptor of the same attachment, for one link to send. */
  @FunctionalInterface
  public interface Reopener {
    RandomAccessFile reopen() throws IOException;
  }

  /**
   * An attachment of {@code length} bytes read from {@code source}, which it owns from now on;
   * {@code reopener} makes a descriptor of it for each link that passes descriptors, while
   * {@code source} is open.
   *
   * @throws IllegalArgumentException if the token is not {@link #TOKEN_LENGTH} bytes or the
   *     length is negative
   */
  public Attachment(byte[] token, long length, RandomAccessFile source, Reopener reopener) {
    if (token.length != TOKEN_LENGTH) {
      throw new IllegalArgumentException("an attachment's token has " + TOKEN_LENGTH
          + " bytes, not " + token.length);
    }
    if (length < 0) {
      throw new IllegalArgumentException("negative attachment length " + length);
    }
    this.token = token.clone();
    this.length = length;
    this.source = Objects.requireNonNull(source, "source");
    this.reopener = Objects.requireNonNull(reopener, "reopener");
  }

  /**
   * A read-only descriptor of its own, for a link to send and close: the call may end, and
   * close this attachment, before the link's writer has sent it.
   *
   * @throws IOException once closed, or if the reopen fails
   */
  public synchronized RandomAccessFile openForLink() throws IOException {
    if (closed) {
      throw new IOException("the attachment is closed: its call has ended");
    }
    return reopener.reopen();
  }

  /** A copy of the token. */
  public byte[] token() {
    return token.clone();
  }

  public long length() {
    return length;
  }

  /**
   * Reads up to {@code into.remaining()} bytes from {@code position} of the attachment: a copy
   * out of the page cache, which never waits on a device for a memory segment.
   */
  public int read(ByteBuffer into, long position) throws IOException {
    FileChannel channel = source.getChannel();
    int read = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, position + read);
      if (n < 0) {
        throw new IOException("attachment ends after " + (position + read) + " of its "
            + length + " bytes");
      }
      read += n;
    }
    return read;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    source.close();
  }

  @Override
  public String toString() {
    return "Attachment{" + length + " bytes}";
  }
}
