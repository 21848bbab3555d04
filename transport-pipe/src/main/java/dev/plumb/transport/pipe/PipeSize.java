package dev.plumb.transport.pipe;

import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows the pipes to a child to the {@code pipeSize} of its target (docs/TRANSPORTS.md). A pipe
 * holds 64 KiB unless asked, a single frame's worth: a writer of large messages then waits for
 * the reader after every frame, and both sides pay a wake-up for each. Linux lets an
 * unprivileged process grow a pipe up to {@code /proc/sys/fs/pipe-max-size} (1 MiB unless an
 * administrator changed it); where it refuses, the pipe keeps its size and the connection works
 * as before, only with more wake-ups, which one log line says.
 */
final class PipeSize {
  private static final Logger log = LoggerFactory.getLogger(PipeSize.class);

  private PipeSize() {}

  /**
   * Asks for {@code bytes} (0: keep the kernel's size) for the pipe this process holds as
   * {@code end}, the child's {@code name}; nothing if that end could not be found.
   */
  static void request(OptionalInt end, int bytes, long pid, String name) {
    if (bytes == 0 || end.isEmpty() || !PipeCalls.available()) {
      return;
    }
    try {
      PipeCalls.resize(end.getAsInt(), bytes);
    } catch (LinkageError | RuntimeException e) {
      // A LastErrorException: EPERM above the limits (PipeCalls.resize), EBUSY if it held more
      // than the size asked; or JNA cannot load.
      log.info("child {}: its {} keeps the kernel's pipe size, which refused {} bytes: {}; set"
          + " pipeSize=0 in the target to ask for none", pid, name, bytes, e.toString());
    }
  }
}
