package dev.plumb.daemon;

import java.util.logging.Level;

/** {@code --log-level}: SLF4J's levels, and the {@code java.util.logging} level of each. */
enum LogLevel {
  ERROR(Level.SEVERE),
  WARN(Level.WARNING),
  INFO(Level.INFO),
  DEBUG(Level.FINE),
  TRACE(Level.FINEST);

  private final Level jul;

  LogLevel(Level jul) {
    this.jul = jul;
  }

  /** The level at which gRPC's {@code java.util.logging} records reach the bridge. */
  Level jul() {
    return jul;
  }
}
