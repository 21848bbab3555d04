package dev.plumb.transport.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a stream into lines in fixed memory, whatever it holds: a line longer than the limit
 * is handed on cut, with {@link #cutMarker} appended, as soon as it passes the limit, and its
 * rest is
 * skipped up to its end. Lines end at {@code \n} (a {@code \r} before it is dropped) or at the
 * end of the stream, and are decoded as UTF-8 (a character cut in half becomes U+FFFD).
 */
final class BoundedLines {
  private static final int READ_SIZE = 8192;

  private final byte[] line;
  private int length;
  /** Whether the current line passed the limit and is being skipped to its end. */
  private boolean skipping;

  private BoundedLines(int maxLineBytes) {
    this.line = new byte[maxLineBytes];
  }

  /** Reads {@code in} to its end on the calling thread, handing each line to {@code sink}. */
  static void read(InputStream in, int maxLineBytes, Consumer<String> sink) throws IOException {
    BoundedLines lines = new BoundedLines(maxLineBytes);
    byte[] chunk = new byte[READ_SIZE];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      for (int i = 0; i < n; i++) {
        lines.accept(chunk[i], sink);
      }
    }
    if (lines.length > 0) {
      sink.accept(lines.text());
    }
  }

  private void accept(byte b, Consumer<String> sink) {
    if (b == '\n') {
      if (!skipping) {
        sink.accept(text());
      }
      skipping = false;
      length = 0;
    } else if (skipping) {
      return;
    } else if (length == line.length) {
      sink.accept(text() + cutMarker(line.length));
      skipping = true;
      length = 0;
    } else {
      line[length++] = b;
    }
  }

  /** What ends a line cut at {@code maxLineBytes}. */
  static String cutMarker(int maxLineBytes) {
    return " [line cut at " + maxLineBytes + " bytes]";
  }

  private String text() {
    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    return new String(line, 0, end, StandardCharsets.UTF_8);
  }
}
