package dev.plumb.transport.pipe;

import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.log.RateWindow;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Hands a child's stderr on line by line, on a daemon thread that drains it to its end, so the
 * child never blocks on it, in bounded memory and at a bounded rate: a line is cut at
 * {@link #MAX_LINE_BYTES} ({@link BoundedLines}), and past {@link #LINES_PER_WINDOW} lines in
 * {@link #WINDOW} the rest of that window's lines are left out and counted; the next line
 * handed on says how many.
 */
final class ChildStderr {
  static final int MAX_LINE_BYTES = 8 * 1024;
  static final int LINES_PER_WINDOW = 1000;
  static final Duration WINDOW = Duration.ofSeconds(10);

  private ChildStderr() {}

  /** Starts the thread {@code name} that forwards {@code stderr} to {@code sink}. */
  static Thread forward(String name, InputStream stderr, Consumer<String> sink) {
    Thread thread = DaemonThreads.newThread(name, () -> {
      try {
        copy(stderr, sink, System::nanoTime);
      } catch (IOException e) {
        // The child is gone.
      }
    });
    thread.start();
    return thread;
  }

  /** Forwards {@code stderr} to {@code sink} until its end, on the calling thread. */
  static void copy(InputStream stderr, Consumer<String> sink, LongSupplier nanoClock)
      throws IOException {
    RateWindow budget = new RateWindow(LINES_PER_WINDOW, WINDOW);
    BoundedLines.read(stderr, MAX_LINE_BYTES, line -> {
      long leftOut = budget.admit(nanoClock.getAsLong());
      if (leftOut == 0) {
        sink.accept(line);
      } else if (leftOut > 0) {
        sink.accept("(" + leftOut + " lines left out: more than " + LINES_PER_WINDOW
            + " in " + WINDOW.toSeconds() + " s) " + line);
      }
    });
  }
}
