package dev.plumb.transport.pipe;

/**
 * The RPC scenarios over pipe: in the latency mode on both sides: the child listens on
 * {@code stdio:?idle=poll}, the parent's target carries {@code idle=poll}. Polling the pipe
 * before each read must not change what a call does.
 */
class PipePollingRpcConformanceTest extends PipeRpcConformanceTest {
  @Override
  protected String listenAddress() {
    return "stdio:?idle=poll";
  }

  @Override
  protected String targetOptions() {
    return super.targetOptions() + "&idle=poll";
  }
}
