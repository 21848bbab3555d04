package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VersionsTest {
  @Test
  void versionNamesPlumbAndTheGrpcJavaOnTheClassPath() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = PlumbDaemon.commandLine(new PlumbDaemon(System.out, System.err))
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8)).execute("--version");
    assertEquals(0, code);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    // Outside a jar (this build's classes), Plumb's version is not known.
    assertTrue(lines[0].startsWith("plumb-daemon "), lines[0]);
    assertEquals("grpc-java " + System.getProperty("grpcVersionUnderTest"), lines[1]);
  }
}
