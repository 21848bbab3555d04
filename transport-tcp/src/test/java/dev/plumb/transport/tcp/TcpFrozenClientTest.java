package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractFrozenClientTest;
import java.nio.file.Path;

class TcpFrozenClientTest extends AbstractFrozenClientTest {
  @Override
  protected String listenAddress(Path dir) {
    return "tcp://127.0.0.1:0";
  }
}
