package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractLinkConformanceTest;

class TcpLinkConformanceTest extends AbstractLinkConformanceTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }
}
