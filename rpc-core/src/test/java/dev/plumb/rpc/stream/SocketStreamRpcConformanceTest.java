package dev.plumb.rpc.stream;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;

class SocketStreamRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "stream-test://127.0.0.1:0";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return false;
  }
}
