package dev.plumb.rpc.kit;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A socket's output stream whose {@link #close} ends only this side's output (a half-close):
 * the peer reads to the end of the stream, and this side can still read what the peer sends
 * after it. {@link BlockingStreamConnection} closes its output stream to end a connection
 * gracefully; a socket's own output stream would close the whole socket, and a socket closed
 * with unread input makes the kernel reset the connection, so the peer loses what it had not
 * read yet (a GO_AWAY, say).
 */
public final class HalfClosingOutputStream extends FilterOutputStream {
  /** Ends the output of a link and leaves its input open ({@code Socket::shutdownOutput}). */
  @FunctionalInterface
  public interface HalfClose {
    void shutdownOutput() throws IOException;
  }

  private final HalfClose halfClose;
  private boolean closed;

  public HalfClosingOutputStream(OutputStream out, HalfClose halfClose) {
    super(out);
    this.halfClose = halfClose;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    // FilterOutputStream writes an array one byte at a time.
    out.write(bytes, offset, length);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.flush();
      halfClose.shutdownOutput();
    }
  }
}
