package dev.plumb.rpc.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.registry.TransportRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MemoryAddressTest {
  private static String error(String target) {
    return assertThrows(IllegalArgumentException.class,
        () -> TransportRegistry.getDefault().parse(target)).getMessage();
  }

  @Test
  void aNameIsAllThereIs() {
    assertEquals("mem:calc", TransportRegistry.getDefault().parse("mem:calc").toString());
    assertEquals("mem:a%20b", TransportRegistry.getDefault().parse("mem:a%20b").toString());
  }

  @Test
  void optionsAreErrorsNamingTheKey() {
    assertEquals("'mem:calc?size=1': unknown option 'size'; this address takes no options",
        error("mem:calc?size=1"));
  }

  @Test
  void fragmentsAndEmptyNamesAreErrors() {
    String message = error("mem:calc#x");
    assertTrue(message.contains("has a fragment"), message);
    assertTrue(message.contains("expected mem:NAME"), message);
    assertTrue(error("mem:?x=1").contains("expected mem:NAME"));
  }
}
