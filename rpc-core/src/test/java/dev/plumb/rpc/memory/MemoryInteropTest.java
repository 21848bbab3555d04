package dev.plumb.rpc.memory;

import dev.plumb.rpc.testing.AbstractPlumbInteropTest;
import java.util.UUID;

public class MemoryInteropTest extends AbstractPlumbInteropTest {
  @Override
  protected String listenAddress() {
    return "mem:interop-" + UUID.randomUUID();
  }
}
