package dev.plumb.transport.unix;

import dev.plumb.rpc.testing.AbstractFrozenClientTest;
import java.nio.file.Path;

class UnixFrozenClientTest extends AbstractFrozenClientTest {
  @Override
  protected String listenAddress(Path dir) {
    return "unix://" + dir.resolve("k.sock");
  }
}
