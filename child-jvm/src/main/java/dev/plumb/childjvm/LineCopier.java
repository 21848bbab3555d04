package dev.plumb.childjvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Copies the lines of a child's output to this JVM's stderr, each with a prefix. */
final class LineCopier {
  private LineCopier() {}

  /** Copies every line of {@code in} on a daemon thread, until end-of-file. */
  static Thread copy(InputStream in, String prefix) {
    return start(in, prefix, null);
  }

  /**
   * As {@link #copy}, but the first line completes {@code firstLine} instead of being copied;
   * end-of-file before it fails {@code firstLine}.
   */
  static Thread copyAfterFirstLine(InputStream in, String prefix,
      CompletableFuture<String> firstLine) {
    return start(in, prefix, firstLine);
  }

  private static Thread start(InputStream in, String prefix, CompletableFuture<String> firstLine) {
    Thread thread = new Thread(() -> {
      PrintStream err = System.err;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (firstLine != null && !firstLine.isDone()) {
            firstLine.complete(line);
          } else {
            err.println(prefix + line);
          }
        }
      } catch (IOException e) {
        err.println(prefix + "(reading failed: " + e.getMessage() + ")");
      } finally {
        if (firstLine != null) {
          firstLine.completeExceptionally(new IOException("end of output"));
        }
      }
    }, "copy " + prefix.trim());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
