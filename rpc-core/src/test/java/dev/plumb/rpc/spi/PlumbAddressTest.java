package dev.plumb.rpc.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PlumbAddressTest {
  @Test
  void aShortAddressIsShownWhole() {
    PlumbAddress address = new PlumbAddress(URI.create("unix:///run/app.sock?idle=poll"));
    assertEquals("unix:///run/app.sock?idle=poll", address.shortForm());
  }

  @Test
  void aLongAddressKeepsItsStartAndEndAndSaysHowMuchIsLeftOut() {
    String classPath = "/lib/a.jar:".repeat(300);
    String target = "pipe:java%20-cp%20" + classPath + "%20com.example.CalcServer%20stdio:"
        + "#stopTimeout=5000ms";
    String shown = new PlumbAddress(URI.create(target)).shortForm();

    assertTrue(shown.length() < 200, shown);
    assertTrue(shown.startsWith("pipe:java%20-cp%20/lib/a.jar:"), shown);
    assertTrue(shown.endsWith("com.example.CalcServer%20stdio:#stopTimeout=5000ms"), shown);
    assertTrue(shown.contains("[... " + (target.length() - 140) + " characters ...]"), shown);
  }
}
