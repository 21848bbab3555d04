package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractPlumbInteropTest;

public class TcpInteropTest extends AbstractPlumbInteropTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }
}
