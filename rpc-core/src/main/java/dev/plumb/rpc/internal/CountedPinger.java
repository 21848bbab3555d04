package dev.plumb.rpc.internal;

import io.grpc.internal.KeepAliveManager;

/** A keep-alive pinger that reports each ping it sends (to channelz) before sending it. */
final class CountedPinger implements KeepAliveManager.KeepAlivePinger {
  private final KeepAliveManager.KeepAlivePinger pinger;
  private final Runnable count;

  CountedPinger(KeepAliveManager.KeepAlivePinger pinger, Runnable count) {
    this.pinger = pinger;
    this.count = count;
  }

  @Override
  public void ping() {
    count.run();
    pinger.ping();
  }

  @Override
  public void onPingTimeout() {
    pinger.onPingTimeout();
  }
}
