package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * gRPC's {@code java.util.logging} and Plumb's SLF4J lines end up in one stream, in the format
 * and at the level the flags set. In this JVM, whose logging it puts back afterwards (the
 * daemon's own end to end: {@link PlumbDaemonTest}, text; {@link SocketActivationTest}, JSON).
 */
@Timeout(10)
class DaemonLoggingTest {
  private final PrintStream stderr = System.err;

  @AfterEach
  void restoreLogging() throws Exception {
    System.setErr(stderr);
    System.clearProperty(DaemonLogging.LOGBACK_FILE_PROPERTY);
    SLF4JBridgeHandler.uninstall();
    LogManager.getLogManager().readConfiguration();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void grpcJavaUtilLoggingAndSlf4jLinesComeOutAsJsonAtTheLevelAsked() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    DaemonLogging.configure(LogLevel.DEBUG, LogFormat.JSON);
    java.util.logging.Logger.getLogger("io.grpc.internal.Probe").fine("a FINE record of gRPC's");
    LoggerFactory.getLogger("dev.plumb.rpc.Probe").debug("a debug line of Plumb's, {}", 42);
    java.util.logging.Logger.getLogger("io.grpc.internal.Probe").finest("below DEBUG: dropped");
    LoggerFactory.getLogger("dev.plumb.rpc.Probe").trace("below DEBUG: dropped");

    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));
    assertTrue(lines[0].matches("\\{\"timestamp\":\\d+,\"level\":\"DEBUG\",\"threadName\":\".*\","
        + "\"loggerName\":\"io.grpc.internal.Probe\",.*\"formattedMessage\":\"a FINE record of"
        + " gRPC's\".*}"), lines[0]);
    assertTrue(lines[1].matches(".*\"loggerName\":\"dev.plumb.rpc.Probe\",.*\"formattedMessage\":"
        + "\"a debug line of Plumb's, 42\".*"), lines[1]);
  }

  @Test
  void theFlagsAreRefusedBesideAnApplicationsLogbackFile() {
    System.setProperty(DaemonLogging.LOGBACK_FILE_PROPERTY, "/etc/app/logback.xml");
    assertEquals("--log-level and --log-format cannot be combined with"
        + " -Dlogback.configurationFile, whose file sets the logging; choose one",
        assertThrows(IllegalArgumentException.class,
            () -> DaemonLogging.configure(null, LogFormat.TEXT)).getMessage());
  }
}
