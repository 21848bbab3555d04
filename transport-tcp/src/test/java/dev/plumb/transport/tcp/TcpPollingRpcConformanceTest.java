package dev.plumb.transport.tcp;

import dev.plumb.rpc.testing.AbstractRpcConformanceTest;

/**
 * The RPC scenarios over TCP loopback in the latency mode ({@code idle=poll}) on both sides:
 * the server (its own JVM) listens with it, the client adds it to the address the server
 * reported. The polling event loops must not change what a call does.
 */
class TcpPollingRpcConformanceTest extends AbstractRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0?idle=poll";
  }

  @Override
  protected String clientTarget(String address) {
    return address + "?idle=poll";
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
