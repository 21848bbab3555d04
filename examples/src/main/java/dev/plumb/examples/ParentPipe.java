package dev.plumb.examples;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A server started by a parent process that holds its stdin open while it wants the server. */
public final class ParentPipe {
  private static final Logger log = LoggerFactory.getLogger(ParentPipe.class);

  private ParentPipe() {}

  /** Reads and discards {@code in} until end-of-file or a read error (the parent is gone). */
  public static void awaitEndOfInput(InputStream in) {
    byte[] discard = new byte[256];
    try {
      while (in.read(discard) >= 0) {
        // Nothing is expected on stdin; only its end matters.
      }
    } catch (IOException e) {
      log.info("reading stdin failed ({}); treating it as closed", e.getMessage());
    }
  }
}
