package dev.plumb.rpc.internal;

import io.grpc.Status;
import io.grpc.internal.ServerStreamListener;
import io.grpc.internal.StreamListener;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener of a call that gRPC could not start: it drops what arrives, so the stream can
 * end like any other.
 */
enum NoopServerStreamListener implements ServerStreamListener {
  INSTANCE;

  private static final Logger log = LoggerFactory.getLogger(NoopServerStreamListener.class);

  @Override
  public void messagesAvailable(StreamListener.MessageProducer producer) {
    InputStream message;
    while ((message = producer.next()) != null) {
      try {
        message.close();
      } catch (IOException e) {
        log.debug("closing a dropped message failed", e);
      }
    }
  }

  @Override
  public void onReady() {}

  @Override
  public void halfClosed() {}

  @Override
  public void closed(Status status) {}

  /**
   * An event the application raised on the call (grpc-java 1.85 on; there is none to drop
   * before). No {@code @Override}: the method is abstract in 1.85 and absent in 1.79, which
   * Plumb is compiled against, and declaring it spares this listener an
   * {@code AbstractMethodError} under 1.85.
   */
  public void triggerEvent(Object event) {}
}
