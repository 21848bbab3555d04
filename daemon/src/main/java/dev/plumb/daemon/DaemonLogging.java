package dev.plumb.daemon;

import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging configuration for the daemon, Plumb and gRPC. Plumb logs through SLF4J, gRPC
 * through {@code java.util.logging}, which is bridged into SLF4J here (jul-to-slf4j), so every
 * line goes to the same backend, on stderr. The daemon's jar has Logback as that backend, set by
 * {@code --log-level} and {@code --log-format} ({@link LogbackSetup}), or by the application's
 * own file ({@code -Dlogback.configurationFile=...}) instead. On a class path with another
 * backend (the demo's slf4j-simple), that backend keeps its own configuration, and the flags
 * are refused rather than ignored.
 */
final class DaemonLogging {
  static final String LOGBACK_FILE_PROPERTY = "logback.configurationFile";
  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private DaemonLogging() {}

  /**
   * Bridges {@code java.util.logging} and sets the backend.
   *
   * @param level the {@code --log-level}, null if not given (INFO)
   * @param format the {@code --log-format}, null if not given (text)
   * @throws IllegalArgumentException if a flag is given where it cannot apply: with a Logback
   *     file of the application's, or with a backend other than Logback
   */
  static void configure(LogLevel level, LogFormat format) {
    boolean flagsGiven = level != null || format != null;
    String backend = LoggerFactory.getILoggerFactory().getClass().getName();
    if (flagsGiven && !backend.equals(LOGBACK_CONTEXT)) {
      throw new IllegalArgumentException("--log-level and --log-format set Logback, the daemon's"
          + " logging backend, but this class path logs through " + backend + "; configure"
          + " that instead");
    }
    if (flagsGiven && System.getProperty(LOGBACK_FILE_PROPERTY) != null) {
      throw new IllegalArgumentException("--log-level and --log-format cannot be combined with"
          + " -D" + LOGBACK_FILE_PROPERTY + ", whose file sets the logging; choose one");
    }
    LogLevel effective = level != null ? level : LogLevel.INFO;
    bridgeJavaUtilLogging(effective);
    if (backend.equals(LOGBACK_CONTEXT) && System.getProperty(LOGBACK_FILE_PROPERTY) == null) {
      LogbackSetup.apply(effective, format != null ? format : LogFormat.TEXT);
    }
  }

  /**
   * Sends {@code java.util.logging} records of {@code level} and above to SLF4J, in place of
   * its console handler. The level is set on the root logger too, so that gRPC's FINE records
   * cost nothing unless debug is asked for.
   */
  private static void bridgeJavaUtilLogging(LogLevel level) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger.getLogger("").setLevel(level.jul());
  }
}
