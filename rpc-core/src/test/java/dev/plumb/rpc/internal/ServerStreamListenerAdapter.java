package dev.plumb.rpc.internal;

import io.grpc.Status;
import io.grpc.internal.ServerStreamListener;
import io.grpc.internal.StreamListener;

/**
 * A server stream listener that does nothing, for the tests' listeners to override what they
 * watch. It declares grpc-java 1.85's {@code triggerEvent} without {@code @Override}, as
 * {@link NoopServerStreamListener} does, so the tests compile against every grpc-java Plumb
 * runs with (.ci/run's newest-grpc pass compiles them against the newest).
 */
abstract class ServerStreamListenerAdapter implements ServerStreamListener {
  @Override
  public void messagesAvailable(StreamListener.MessageProducer producer) {}

  @Override
  public void onReady() {}

  @Override
  public void halfClosed() {}

  @Override
  public void closed(Status status) {}

  public void triggerEvent(Object event) {}
}
