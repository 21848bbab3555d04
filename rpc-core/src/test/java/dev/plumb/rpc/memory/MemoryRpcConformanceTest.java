package dev.plumb.rpc.memory;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import java.util.UUID;

class MemoryRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "mem:conformance-" + UUID.randomUUID();
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return false;
  }
}
