package dev.plumb.childjvm;

import java.io.IOException;
import java.io.InputStream;

/**
 * The child's side of {@link ServerProcess}: a server started by a parent process that holds
 * its stdin open while it wants the server, and closes it (or dies) when it does not.
 */
public final class ParentPipe {
  private static final System.Logger log = System.getLogger(ParentPipe.class.getName());

  private ParentPipe() {}

  /** Reads and discards {@code in} until end-of-file or a read error (the parent is gone). */
  public static void awaitEndOfInput(InputStream in) {
    byte[] discard = new byte[256];
    try {
      while (in.read(discard) >= 0) {
        // Nothing is expected on stdin; only its end matters.
      }
    } catch (IOException e) {
      log.log(System.Logger.Level.INFO, "reading stdin failed ({0}); treating it as closed",
          e.getMessage());
    }
  }
}
