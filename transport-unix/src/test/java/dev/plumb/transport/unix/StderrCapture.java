package dev.plumb.transport.unix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies what this JVM writes to {@code System.err} (slf4j-simple's log, among others) while it
 * is open, and still passes it on to the real stderr.
 */
public final class StderrCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  public StderrCapture() {
    System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
  }

  /** What was written so far. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  /** Writes to two streams: the real stderr, and the copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream one;
    private final OutputStream two;

    Tee(OutputStream one, OutputStream two) {
      this.one = one;
      this.two = two;
    }

    @Override
    public void write(int b) throws IOException {
      one.write(b);
      synchronized (two) {
        two.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      one.write(b, off, len);
      synchronized (two) {
        two.write(b, off, len);
      }
    }
  }
}
