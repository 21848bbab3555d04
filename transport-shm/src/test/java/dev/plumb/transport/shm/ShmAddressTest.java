package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.registry.TransportRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** shm: address forms, their canonical form, and the checks of every option, without sockets. */
@Timeout(10)
class ShmAddressTest {
  private static String canonical(String target) {
    return TransportRegistry.getDefault().parse(target).toString();
  }

  private static void assertErrorContains(String target, String... expected) {
    String message = assertThrows(IllegalArgumentException.class, () -> canonical(target))
        .getMessage();
    for (String part : expected) {
      assertTrue(message.contains(part), message);
    }
  }

  @Test
  void pathFormsAsForUnix() {
    assertEquals("shm:///run/app.sock", canonical("shm:///run/app.sock"));
    assertEquals("shm:///run/app.sock", canonical("shm:/run/app.sock"));
    Path relative = Path.of("").toAbsolutePath().resolve("sockets/app.sock");
    assertEquals("shm://" + relative, canonical("shm:sockets/app.sock"));
    assertErrorContains("shm://run/app.sock", "names a host ('run')", "shm:///path.sock");
    assertErrorContains("shm:", "names no socket", "shm:///absolute/path.sock");
    assertErrorContains("shm:///run/app.sock#x", "fragment");
  }

  @Test
  void optionsAreCanonicalAndDefaultsDropped() {
    assertEquals("shm:///run/app.sock", canonical("shm:///run/app.sock?ringSize=1m&idle=backoff"));
    assertEquals("shm:///run/app.sock", canonical("shm:///run/app.sock?ringSize=1048576"));
    assertEquals("shm:///run/app.sock?mode=0660&allowUids=1000&ringSize=4m&idle=spin",
        canonical("shm:///run/app.sock?idle=spin&allowUids=1000&ringSize=4M&mode=660"));
    assertEquals("shm:///run/app.sock?ringSize=64k", canonical("shm:///run/app.sock?ringSize=64k"));
    assertEquals("shm:///run/app.sock?ringSize=512m",
        canonical("shm:///run/app.sock?ringSize=512m"));
  }

  @Test
  void badOptionsNameTheKeyAndWhatIsAccepted() {
    assertErrorContains("shm:///run/app.sock?ringSize=3m", "ringSize '3m' is 3145728 bytes",
        "power of two from 4k to 512m");
    // Two rings of 1 GiB make a segment of more than 2 GiB, which one mapping cannot hold.
    assertErrorContains("shm:///run/app.sock?ringSize=1g", "ringSize '1g' is 1073741824 bytes",
        "power of two from 4k to 512m", "mapped as one buffer");
    assertErrorContains("shm:///run/app.sock?ringSize=2k", "ringSize '2k'", "power of two");
    assertErrorContains("shm:///run/app.sock?ringSize=2g", "ringSize '2g'", "power of two");
    assertErrorContains("shm:///run/app.sock?ringSize=big", "'big' is not a size", "ringSize=1m");
    assertErrorContains("shm:///run/app.sock?idle=fast", "option 'idle' must be backoff",
        "or spin", "got 'fast'");
    assertErrorContains("shm:///run/app.sock?ringsize=1m", "unknown option 'ringsize'",
        "accepted options: ringSize, idle, mode, allowUids, allowGids, serverUids");
    assertErrorContains("shm:///run/app.sock?idle=spin&idle=spin", "'idle' is given twice");
    assertErrorContains("shm:///run/app.sock?mode=999", "option 'mode' must be octal");
  }
}
