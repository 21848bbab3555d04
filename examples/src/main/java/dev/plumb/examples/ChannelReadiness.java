package dev.plumb.examples;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Connecting a channel before its first call. */
public final class ChannelReadiness {
  private ChannelReadiness() {}

  /**
   * Makes the channel connect now instead of at its first call (over {@code pipe:}: start the
   * child) and waits until it is ready, has failed, or {@code timeout} has passed. Whatever
   * went wrong, the next call reports it.
   */
  public static void await(ManagedChannel channel, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY && state != ConnectivityState.TRANSIENT_FAILURE) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      if (!changed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return;
      }
      state = channel.getState(false);
    }
  }
}
