package dev.plumb.rpc.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UriOptionsTest {
  private static final List<String> ACCEPTED = List.of("size", "idle", "count", "env.NAME");
  private static final String ADDRESS = "x:///a";

  private static UriOptions parse(String options) {
    return UriOptions.parse(options, true, ADDRESS, ACCEPTED);
  }

  private static String error(String options) {
    return assertThrows(IllegalArgumentException.class, () -> parse(options)).getMessage();
  }

  @Test
  void valuesAreDecodedAndTyped() {
    UriOptions options = parse("size=64k&idle=50us&count=3&env.LANG=C%20UTF-8&env.EMPTY=");
    assertEquals(64 * 1024, options.size("size", Integer.MAX_VALUE, 0));
    assertEquals(Duration.ofNanos(50_000), options.duration("idle", Duration.ZERO));
    assertEquals(3, options.positiveInt("count", 1));
    assertEquals(Map.of("LANG", "C UTF-8", "EMPTY", ""), options.family("env"));
    assertEquals(List.of("size", "idle", "count", "env.LANG", "env.EMPTY"),
        List.copyOf(options.keys()));
  }

  @Test
  void absentOptionsTakeTheDefault() {
    UriOptions options = parse(null);
    assertEquals(7, options.size("size", 100, 7));
    assertEquals(Duration.ofSeconds(1), options.duration("idle", Duration.ofSeconds(1)));
    assertEquals(9, options.positiveInt("count", 9));
    assertEquals(Map.of(), options.family("env"));
    assertTrue(parse("").keys().isEmpty());
  }

  @Test
  void aPlusIsKeptAsAPlus() {
    assertEquals(Map.of("A", "1+1"), parse("env.A=1+1").family("env"));
  }

  @Test
  void unknownRepeatedNamelessAndValuelessKeysAreNamedWithTheAcceptedOnes() {
    String accepted = "; accepted options: size, idle, count, env.NAME";
    assertEquals("'x:///a': unknown option 'sise'" + accepted, error("sise=1"));
    assertEquals("'x:///a': option 'size' is given twice" + accepted, error("size=1&size=2"));
    assertEquals("'x:///a': option 'size' has no value" + accepted, error("size"));
    assertEquals("'x:///a': option 'idle' has no value" + accepted, error("idle="));
    assertEquals("'x:///a': an option has no name (a stray '&' or '=')" + accepted,
        error("size=1&"));
    assertEquals("'x:///a': an option has no name (a stray '&' or '=')" + accepted, error("=1"));
    assertEquals("'x:///a': unknown option 'env.'" + accepted, error("env.=1"));
  }

  @Test
  void anAddressWithoutOptionsSaysSo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UriOptions.parse("tls=true", true, "tcp://h:1?tls=true", List.of()));
    assertEquals("'tcp://h:1?tls=true': unknown option 'tls'; this address takes no options",
        e.getMessage());
  }

  @Test
  void malformedValuesNameTheKeyAndTheForm() {
    assertEquals("'x:///a': option 'size' must be a size of at most 1024 bytes: "
        + "a whole number of bytes with an optional unit k, m or g (1k = 1024), e.g. 65536, 64k,"
        + " 4m; got '2k'", assertThrows(IllegalArgumentException.class,
            () -> parse("size=2k").size("size", 1024, 0)).getMessage());
    String idle = assertThrows(IllegalArgumentException.class,
        () -> parse("idle=fast").duration("idle", Duration.ZERO)).getMessage();
    assertTrue(idle.startsWith("'x:///a': option 'idle' must be a duration: "), idle);
    assertTrue(idle.endsWith("got 'fast'"), idle);
    for (String count : new String[] {"0", "-1", "x", "99999999999"}) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> parse("count=" + count).positiveInt("count", 1)).getMessage();
      assertEquals("'x:///a': option 'count' must be a whole number from 1 to 2147483647; got '"
          + count + "'", message);
    }
  }

  @Test
  void optionsAlreadyDecodedAreTakenAsTheyAre() {
    UriOptions options = UriOptions.parse("env.A=%41", false, ADDRESS, ACCEPTED);
    assertEquals(Map.of("A", "%41"), options.family("env"));
  }
}
