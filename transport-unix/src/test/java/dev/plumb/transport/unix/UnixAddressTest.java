package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.registry.TransportRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Address forms, their canonical form, and the checks of options, without any socket. */
@Timeout(10)
class UnixAddressTest {
  private static String canonical(String target) {
    return TransportRegistry.getDefault().parse(target).toString();
  }

  private static String error(String target) {
    return assertThrows(IllegalArgumentException.class, () -> canonical(target)).getMessage();
  }

  private static void assertErrorContains(String target, String expected) {
    String message = error(target);
    assertTrue(message.contains(expected), message);
  }

  @Test
  void absolutePathsInEitherForm() {
    assertEquals("unix:///run/app.sock", canonical("unix:///run/app.sock"));
    assertEquals("unix:///run/app.sock", canonical("unix:/run/app.sock"));
    assertEquals("unix:///run/app.sock", canonical("unix:///run/./x/../app.sock"));
    assertEquals("unix:///tmp/with%20space.sock", canonical("unix:///tmp/with%20space.sock"));
    assertEquals("unix:///tmp/with%20space.sock", canonical("unix:///tmp/with space.sock"));
  }

  @Test
  void relativePathsBecomeAbsoluteFromTheWorkingDirectory() {
    Path expected = Path.of("").toAbsolutePath().resolve("sockets/app.sock");
    assertEquals("unix://" + expected, canonical("unix:sockets/app.sock"));
    assertEquals("unix://" + expected, canonical("unix:./sockets/app.sock"));
  }

  @Test
  void abstractNames() {
    assertEquals("unix-abstract:plumb-app", canonical("unix-abstract:plumb-app"));
    assertEquals("unix-abstract:plumb-app?allowUids=1000",
        canonical("unix-abstract:plumb-app?allowUids=1000"));
  }

  @Test
  void optionsAreValidatedAndWrittenInOneOrder() {
    assertEquals("unix:///run/app.sock?mode=0660&allowUids=7,1000&allowGids=100",
        canonical("unix:///run/app.sock?allowGids=100&allowUids=1000,7&mode=660"));
    assertEquals("unix-abstract:app?allowUids=5&serverUids=7,1000",
        canonical("unix-abstract:app?serverUids=1000,7&allowUids=5"));
    assertEquals("unix:///run/app.sock", canonical("unix:///run/app.sock?mode=0600"));
    Path relative = Path.of("").toAbsolutePath().resolve("a.sock");
    assertEquals("unix://" + relative + "?mode=0640", canonical("unix:a.sock?mode=640"));
  }

  @Test
  void unknownOrRepeatedOptionsNameTheKeyAndTheAcceptedOnes() {
    String message = error("unix:///run/app.sock?modee=0600");
    assertTrue(message.contains("unknown option 'modee'"), message);
    assertTrue(message.contains("accepted options: idle, mode, allowUids, allowGids, serverUids"),
        message);
    message = error("unix:///run/app.sock?mode=0600&mode=0660");
    assertTrue(message.contains("option 'mode' is given twice"), message);
    message = error("unix:///run/app.sock?allowUids");
    assertTrue(message.contains("option 'allowUids' has no value"), message);
    message = error("unix-abstract:app?mode=0600");
    assertTrue(message.contains("'mode' applies to socket files only"), message);
    assertTrue(message.contains("accepted options: idle, allowUids, allowGids, serverUids"),
        message);
  }

  @Test
  void idlePollIsKeptAfterTheAccessOptionsAndBlockIsTheDefault() {
    assertEquals("unix:///run/app.sock?mode=0660&idle=poll",
        canonical("unix:///run/app.sock?idle=poll&mode=0660"));
    assertEquals("unix-abstract:app?idle=poll", canonical("unix-abstract:app?idle=poll"));
    assertEquals("unix:///run/app.sock", canonical("unix:///run/app.sock?idle=block"));
    String message = error("unix:///run/app.sock?idle=spin");
    assertTrue(message.contains("option 'idle' must be block (the default) or poll, not 'spin'"),
        message);
  }

  @Test
  void badValuesNameTheKeyAndTheExpectedForm() {
    for (String mode : new String[] {"999", "1777", "rw", "-1", "06000", "60"}) {
      String message = error("unix:///run/app.sock?mode=" + mode);
      assertTrue(message.contains("option 'mode' must be octal permission bits"), message);
      assertTrue(message.contains("got '" + mode + "'"), message);
    }
    for (String ids : new String[] {"alice", "1000,", "-5", "4294967295", "1,2,x"}) {
      String message = error("unix:///run/app.sock?allowGids=" + ids);
      assertTrue(message.contains("option 'allowGids' must be numeric group ids"), message);
    }
  }

  @Test
  void malformedAddressesSayWhatIsAccepted() {
    String message = error("unix://tmp/app.sock");
    assertTrue(message.contains("names a host ('tmp')"), message);
    assertTrue(message.contains("unix:///path.sock"), message);
    assertErrorContains("unix:", "names no socket");
    assertErrorContains("unix-abstract:", "names no socket");
    assertErrorContains("unix:?mode=0600", "names no socket");
    assertErrorContains("unix:///run/", "names a directory");
    assertErrorContains("unix:///run/app.sock#x", "fragment");
    assertErrorContains("unix-abstract:?allowUids=1", "names no socket");
    message = error("unix:///" + "d".repeat(100) + "/app.sock");
    assertTrue(message.contains("limited to 107 bytes"), message);
  }

  @Test
  void theTransportServesBothSchemesAndTheBuildersAcceptThem() {
    assertEquals(Set.of("unix", "unix-abstract"), new UnixTransport().schemes());
    assertEquals("unix:///run/app.sock",
        new UnixTransport().parse(URI.create("unix:/run/app.sock")).toString());
    // Builders parse at once: a bad option fails where it is written, not at the first call.
    assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("unix:///run/app.sock?mode=9"));
    assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("unix:///run/app.sock?bogus=1"));
  }
}
