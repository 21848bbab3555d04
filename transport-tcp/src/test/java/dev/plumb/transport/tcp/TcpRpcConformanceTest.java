package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;

/** The RPC scenarios over TCP loopback, with the server in its own JVM. */
class TcpRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
