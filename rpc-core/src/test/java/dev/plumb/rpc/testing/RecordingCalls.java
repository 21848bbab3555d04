package dev.plumb.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.EchoResponse;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Call listeners that put what a call receives into a queue, for tests to take in order. */
public final class RecordingCalls {
  private RecordingCalls() {}

  /** Puts each response, then the final Status, into {@code queue}. */
  public static ClientCall.Listener<EchoResponse> queueListener(BlockingQueue<Object> queue) {
    return new ClientCall.Listener<>() {
      @Override
      public void onMessage(EchoResponse message) {
        queue.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        queue.add(status);
      }
    };
  }

  /** The next item of a {@link #queueListener} queue, which must be a response. */
  public static EchoResponse nextResponse(BlockingQueue<Object> received)
      throws InterruptedException {
    Object next = received.poll(10, TimeUnit.SECONDS);
    assertTrue(next instanceof EchoResponse, "expected a response, got " + next);
    return (EchoResponse) next;
  }
}
