package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.internal.TransportRegistry;
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

  @Test
  void anEmptyCommandIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> PipeCommand.parse(URI.create("pipe:%20")));
  }

  @Test
  void stdioTakesNothingElse() {
    assertEquals("stdio:/", TransportRegistry.getDefault().parse("stdio:").toString());
    assertThrows(IllegalArgumentException.class,
        () -> TransportRegistry.getDefault().parse("stdio:somewhere"));
  }
}
