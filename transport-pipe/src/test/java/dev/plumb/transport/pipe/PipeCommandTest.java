package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.kit.IdleMode;
import dev.plumb.rpc.registry.TransportRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PipeCommandTest {
  private static PipeCommand parse(String target) {
    return PipeCommand.parse(TransportRegistry.getDefault().parse(target).uri());
  }

  @Test
  void wordsSplitAsAShellSplitsThem() {
    assertEquals(List.of("java", "-cp", "a b.jar", "say \"hi\"", "it's", "x y", "c:\\dir"),
        PipeCommand.split("java  -cp 'a b.jar' \"say \\\"hi\\\"\" it\\'s x\\ y \"c:\\dir\""));
  }

  @Test
  void aHashInsideQuotesBelongsToTheCommand() {
    PipeCommand command = parse("pipe:sh -c 'echo a#b'#maxStarts=3");
    assertEquals(List.of("sh", "-c", "echo a#b"), command.argv);
    assertEquals(3, command.maxStarts);
  }

  @Test
  void unterminatedQuotesAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> PipeCommand.split("java 'oops"));
    assertThrows(IllegalArgumentException.class, () -> PipeCommand.split("java \"oops"));
    assertThrows(IllegalArgumentException.class, () -> PipeCommand.split("java oops\\"));
  }

  @Test
  void theCanonicalTargetParsesBackToTheSameCommand() {
    PipeCommand command = parse("pipe:java -cp 'my app.jar' Main#dir=/tmp&env.LANG=C");
    PipeCommand again = PipeCommand.parse(command.toUri());
    assertEquals(List.of("java", "-cp", "my app.jar", "Main"), again.argv);
    assertEquals("/tmp", again.directory.toString());
    assertEquals("C", again.environment.get("LANG"));
    assertEquals(command.toUri(), again.toUri());
  }

  @Test
  void optionsHaveDefaultsAndAreValidated() {
    PipeCommand command = parse("pipe:server");
    assertEquals(Duration.ofSeconds(5), command.stopTimeout);
    assertEquals(20, command.maxStarts);
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> parse("pipe:server#retries=3"));
    assertTrue(unknown.getMessage().contains("'retries'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("maxStarts"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("pipe:server#stopTimeout=soon"));
    assertThrows(IllegalArgumentException.class, () -> parse("pipe:server#maxStarts=0"));
  }

  private static String error(String target) {
    return assertThrows(IllegalArgumentException.class, () -> parse(target)).getMessage();
  }

  @Test
  void badOptionsNameTheKeyAndTheAcceptedOnes() {
    String accepted =
        "; accepted options: dir, env.NAME, stopTimeout, maxStarts, startWindow, pipeSize, idle";
    assertEquals("'pipe:server#retries=3': unknown option 'retries'" + accepted,
        error("pipe:server#retries=3"));
    assertEquals("'pipe:server#maxStarts=3&maxStarts=4': option 'maxStarts' is given twice"
        + accepted, error("pipe:server#maxStarts=3&maxStarts=4"));
    assertEquals("'pipe:server#dir=': option 'dir' has no value" + accepted,
        error("pipe:server#dir="));
    assertEquals("'pipe:server#stopTimeout': option 'stopTimeout' has no value" + accepted,
        error("pipe:server#stopTimeout"));
    assertEquals("'pipe:server#maxStarts=3&': an option has no name (a stray '&' or '=')"
        + accepted, error("pipe:server#maxStarts=3&"));
    assertEquals("'pipe:server#env.=x': unknown option 'env.'" + accepted,
        error("pipe:server#env.=x"));
  }

  @Test
  void badValuesNameTheKeyAndTheForm() {
    String message = error("pipe:server#stopTimeout=-5s");
    assertTrue(message.startsWith("'pipe:server#stopTimeout=-5s': option 'stopTimeout' must be a"
        + " duration: a whole number with a unit"), message);
    assertTrue(message.endsWith("got '-5s'"), message);
    assertEquals("'pipe:server#maxStarts=0': option 'maxStarts' must be a whole number from 1 to"
        + " 2147483647; got '0'", error("pipe:server#maxStarts=0"));
    assertEquals("'pipe:server#startWindow=0s': option 'startWindow' must be longer than 0, e.g."
        + " 60s; got '0s'", error("pipe:server#startWindow=0s"));
    assertEquals("'pipe:server#pipeSize=2g': option 'pipeSize' must be a size of at most"
        + " 1073741824 bytes: a whole number of bytes with an optional unit k, m or g (1k = 1024),"
        + " e.g. 65536, 64k, 4m; got '2g'", error("pipe:server#pipeSize=2g"));
  }

  @Test
  void pipesAreAskedForOneMebibyteUnlessTheTargetSaysOtherwise() {
    assertEquals(1 << 20, parse("pipe:server").pipeSize);
    assertEquals(256 << 10, parse("pipe:server#pipeSize=256k").pipeSize);
    assertEquals(0, parse("pipe:server#pipeSize=0").pipeSize);
  }

  @Test
  void anEnvironmentVariableMayBeSetEmptyAndDurationsTakeEveryUnit() {
    PipeCommand command = parse("pipe:server#env.EMPTY=&env.B=1&stopTimeout=1500ms"
        + "&startWindow=2m");
    assertEquals("", command.environment.get("EMPTY"));
    assertEquals("1", command.environment.get("B"));
    assertEquals(Duration.ofMillis(1500), command.stopTimeout);
    assertEquals(Duration.ofMinutes(2), command.startWindow);
    assertEquals(Duration.ofHours(1), parse("pipe:server#stopTimeout=1h").stopTimeout);
  }

  @Test
  void anEmptyCommandIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> PipeCommand.parse(URI.create("pipe:%20")));
  }

  @Test
  void theLatencyModeIsAnOptionOfEitherSide() {
    PipeCommand parent = parse("pipe:server stdio:?idle=poll#idle=poll");
    assertEquals(IdleMode.POLL, parent.idle);
    assertEquals(List.of("server", "stdio:?idle=poll"), parent.argv);
    assertTrue(parent.toUri().toString().endsWith("&idle=poll"), parent.toUri().toString());
    assertEquals(IdleMode.BLOCK, parse("pipe:server#idle=block").idle);
    assertEquals(IdleMode.BLOCK, parse("pipe:server").idle);
    IllegalArgumentException spin = assertThrows(IllegalArgumentException.class,
        () -> parse("pipe:server#idle=spin"));
    assertTrue(spin.getMessage().contains("must be block (the default) or poll"),
        spin.getMessage());

    TransportRegistry registry = TransportRegistry.getDefault();
    assertEquals("stdio:/?idle=poll", registry.parse("stdio:?idle=poll").toString());
    assertEquals("stdio:/?idle=poll", registry.parse("stdio:/?idle=poll").toString());
    assertEquals("stdio:/", registry.parse("stdio:?idle=block").toString());
    assertThrows(IllegalArgumentException.class, () -> registry.parse("stdio:?idle=spin"));
    assertThrows(IllegalArgumentException.class, () -> registry.parse("stdio:?dir=/tmp"));
  }

  @Test
  void stdioTakesNothingElse() {
    assertEquals("stdio:/", TransportRegistry.getDefault().parse("stdio:").toString());
    assertThrows(IllegalArgumentException.class,
        () -> TransportRegistry.getDefault().parse("stdio:somewhere"));
    assertThrows(IllegalArgumentException.class,
        () -> TransportRegistry.getDefault().parse("stdio:#idle=poll"));
  }
}
