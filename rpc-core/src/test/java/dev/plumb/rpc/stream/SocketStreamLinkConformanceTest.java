package dev.plumb.rpc.stream;

import dev.plumb.rpc.testing.AbstractLinkConformanceTest;

class SocketStreamLinkConformanceTest extends AbstractLinkConformanceTest {
  @Override
  protected String listenAddress() {
    return "stream-test://127.0.0.1:0";
  }
}
