package dev.plumb.rpc.memory;

import dev.plumb.rpc.testing.AbstractLinkConformanceTest;
import java.util.UUID;

class MemoryLinkConformanceTest extends AbstractLinkConformanceTest {
  @Override
  protected String listenAddress() {
    return "mem:link-" + UUID.randomUUID();
  }
}
