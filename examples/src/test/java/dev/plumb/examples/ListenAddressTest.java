package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ListenAddressTest {
  private static final UnaryOperator<String> NONE = name -> null;
  private static final UnaryOperator<String> PROPERTY =
      Map.of(ListenAddress.PROPERTY, "tcp://127.0.0.1:2")::get;
  private static final UnaryOperator<String> ENVIRONMENT =
      Map.of(ListenAddress.ENVIRONMENT, "tcp://127.0.0.1:3")::get;

  @Test
  void argumentComesFirst() {
    assertEquals("tcp://127.0.0.1:1",
        ListenAddress.choose(new String[] {"tcp://127.0.0.1:1"}, PROPERTY, ENVIRONMENT));
  }

  @Test
  void thenTheSystemProperty() {
    assertEquals("tcp://127.0.0.1:2", ListenAddress.choose(new String[0], PROPERTY, ENVIRONMENT));
    assertEquals("tcp://127.0.0.1:2", ListenAddress.choose(new String[] {" "}, PROPERTY, NONE));
  }

  @Test
  void thenTheEnvironment() {
    assertEquals("tcp://127.0.0.1:3", ListenAddress.choose(new String[0], NONE, ENVIRONMENT));
    assertEquals("tcp://127.0.0.1:3",
        ListenAddress.choose(new String[0], name -> "", ENVIRONMENT));
  }

  @Test
  void elseLoopbackOnAFreePort() {
    assertEquals("tcp://127.0.0.1:0", ListenAddress.choose(new String[0], NONE, NONE));
  }
}
