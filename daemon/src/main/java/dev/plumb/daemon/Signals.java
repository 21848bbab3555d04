package dev.plumb.daemon;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT handlers, so that the daemon can drain and then exit with status 0. A
 * JVM that stops through its shutdown hooks alone exits with 128 + the signal's number; a
 * handler installed through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present
 * in every JDK since 9 without flags) replaces that. Where it is missing the daemon still
 * drains, through its shutdown hook, and exits with 143 or 130.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs {@code action} on each SIGTERM or SIGINT, on a thread of its own that the JVM starts
   * per signal (so a blocking action is fine, and a second signal runs it again concurrently).
   */
  static void onTermination(Runnable action) {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(
            new sun.misc.Signal(name), signal -> {
              log.info("SIG{} received", name);
              action.run();
            });
        if (previous == sun.misc.SignalHandler.SIG_IGN) {
          // The JVM keeps a signal ignored that was ignored when it started (as SIGINT is
          // for a background job of a non-interactive shell); POSIX lets the parent decide.
          log.info("SIG{} was ignored when the daemon started, and stays ignored", name);
        }
      } catch (IllegalArgumentException | LinkageError e) {
        log.warn("cannot handle SIG{} ({}); it stops the daemon through the shutdown hook,"
            + " with exit status 128 + its number", name, e.toString());
      }
    }
  }
}
