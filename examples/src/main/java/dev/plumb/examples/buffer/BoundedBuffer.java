package dev.plumb.examples.buffer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;

/**
 * One call's buffer and consumer thread. Items arrive on gRPC's thread ({@link #onNext}), wait
 * in a queue of at most {@code capacity}, and the consumer thread takes them out in order.
 *
 * <p>The bound comes from credit, not from blocking: the call starts with
 * {@code request(capacity)} and the consumer asks for one more item each time it has taken
 * one, so items received never exceed items taken plus {@code capacity}. gRPC's
 * {@code request(n)} may be called from any thread, which is why the consumer thread may call
 * it.
 *
 * <p>Only the consumer thread writes to the response observer (answers and completion), so
 * its calls are serialized; a failure found on gRPC's thread (an item out of order) is handed
 * to the consumer thread, which reports it after the items before it.
 */
final class BoundedBuffer implements StreamObserver<Item> {
  /** Where the consumer's results go; called on the consumer thread only. */
  interface Sink {
    void consumed(Item item, int buffered);

    void done(long items, long payloadBytes, int maxBuffered);
  }

  private final ServerCallStreamObserver<?> call;
  private final int capacity;
  private final BufferService.Consumer consumer;
  private final String method;
  private final Sink sink;
  private final Thread thread;

  // Guarded by "this": the queue and the end of the stream, shared by gRPC's thread (producer
  // side) and the consumer thread, which waits on "this" for either to change.
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private boolean ended;
  private Status failure;
  private boolean cancelled;
  private long expectedSequence = 1;
  private int maxBuffered;

  BoundedBuffer(ServerCallStreamObserver<?> call, int capacity, BufferService.Consumer consumer,
      String method, Sink sink) {
    this.call = call;
    this.capacity = capacity;
    this.consumer = consumer;
    this.method = method;
    this.sink = sink;
    this.thread = new Thread(this::consume, "buffer-consumer-" + method);
    thread.setDaemon(true);
  }

  /** Turns automatic requests off, asks for the first {@code capacity} items, starts consuming. */
  BoundedBuffer start() {
    call.disableAutoRequest();
    call.setOnCancelHandler(() -> {
      synchronized (this) {
        cancelled = true;
        notifyAll();
      }
    });
    call.request(capacity);
    thread.start();
    return this;
  }

  @Override
  public void onNext(Item item) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      if (item.getSequence() != expectedSequence) {
        failure = Status.INVALID_ARGUMENT.withDescription("item " + item.getSequence()
            + " arrived where item " + expectedSequence + " was expected");
        BufferService.logRefusal(method, failure);
      } else if (queue.size() >= capacity) {
        // Cannot happen while the credit rule holds; a bug, not bad input.
        failure = Status.INTERNAL.withDescription("the buffer of " + capacity
            + " overflowed");
      } else {
        expectedSequence++;
        queue.addLast(item);
        maxBuffered = Math.max(maxBuffered, queue.size());
      }
      notifyAll();
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      cancelled = true;
      notifyAll();
    }
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      ended = true;
      notifyAll();
    }
  }

  private void consume() {
    long items = 0;
    long payloadBytes = 0;
    try {
      while (true) {
        Item item;
        int buffered;
        Status failed;
        int maxSeen;
        synchronized (this) {
          while (queue.isEmpty() && !ended && failure == null && !cancelled) {
            wait();
          }
          if (cancelled) {
            return;
          }
          // The item stays in the queue while it is consumed: it still takes a place.
          item = queue.peekFirst();
          failed = failure;
          maxSeen = maxBuffered;
        }
        // The observer is called outside the lock, never under it.
        if (item == null) {
          if (failed != null) {
            call.onError(failed.asRuntimeException());
          } else {
            sink.done(items, payloadBytes, maxSeen);
          }
          return;
        }
        consumer.consume(item);
        synchronized (this) {
          queue.removeFirst();
          buffered = queue.size();
        }
        items++;
        payloadBytes += item.getPayload().size();
        sink.consumed(item, buffered);
        // One place is free again: one more item may come.
        call.request(1);
      }
    } catch (InterruptedException e) {
      call.onError(Status.CANCELLED.withDescription("the consumer was interrupted")
          .asRuntimeException());
    } catch (RuntimeException e) {
      // The call was cancelled while the consumer answered: nothing left to tell anyone.
      if (!call.isCancelled()) {
        throw e;
      }
    }
  }
}
