package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractConnectionLimitTest;

/** The connection limits over TCP loopback; every client there is the peer 127.0.0.1. */
class TcpConnectionLimitTest extends AbstractConnectionLimitTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected String peerOfThisJvm() {
    return "127.0.0.1";
  }
}
