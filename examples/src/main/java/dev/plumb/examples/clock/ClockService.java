package dev.plumb.examples.clock;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Hello, I'm your server", and its clock as a server stream: {@code Ticks} sends {@code count}
 * ticks {@code interval_millis} apart from one scheduler thread, never from gRPC's threads, so
 * a slow stream holds no thread while it waits. A cancelled call's ticks stop at the next one.
 * {@link #close} stops the scheduler (the daemon closes every {@link AutoCloseable} service
 * when it stops).
 */
public final class ClockService extends ClockGrpc.ClockImplBase implements AutoCloseable {
  public static final int MAX_COUNT = 10_000;
  public static final int MAX_INTERVAL_MILLIS = 60_000;
  private static final Logger log = LoggerFactory.getLogger(ClockService.class);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      task -> {
        Thread thread = new Thread(task, "clock-ticks");
        thread.setDaemon(true);
        return thread;
      });

  @Override
  public void hello(HelloRequest request, StreamObserver<HelloReply> response) {
    String name = request.getName().isBlank() ? "stranger" : request.getName();
    response.onNext(HelloReply.newBuilder()
        .setGreeting("Hello, " + name + ", I'm your server")
        .setServerPid(ProcessHandle.current().pid())
        .build());
    response.onCompleted();
  }

  @Override
  public void ticks(TicksRequest request, StreamObserver<Tick> response) {
    int count = request.getCount();
    int interval = request.getIntervalMillis();
    if (count < 1 || count > MAX_COUNT) {
      refuse(response, "count must be 1.." + MAX_COUNT + ", not " + count);
      return;
    }
    if (interval < 0 || interval > MAX_INTERVAL_MILLIS) {
      refuse(response, "interval_millis must be 0.." + MAX_INTERVAL_MILLIS + ", not " + interval);
      return;
    }
    ServerCallStreamObserver<Tick> call = (ServerCallStreamObserver<Tick>) response;
    // With a handler set, sending on a cancelled call is a no-op instead of an exception; the
    // ticking task notices the cancellation itself (isCancelled is thread-safe) and ends.
    call.setOnCancelHandler(() -> log.debug("Ticks cancelled by the client"));
    long start = System.nanoTime();
    // Only the scheduler thread touches the response observer and the counter.
    int[] sent = {0};
    Runnable tick = () -> {
      if (call.isCancelled()) {
        throw new TicksDone();
      }
      int sequence = ++sent[0];
      call.onNext(Tick.newBuilder()
          .setSequence(sequence)
          .setEpochMillis(System.currentTimeMillis())
          .setElapsedNanos(System.nanoTime() - start)
          .build());
      if (sequence == count) {
        call.onCompleted();
        // Ends a periodic task: an exception suppresses its later runs, and the future
        // keeps it; simpler than cancelling the future from inside its own run.
        throw new TicksDone();
      }
    };
    if (interval == 0) {
      scheduler.execute(() -> {
        try {
          while (true) {
            tick.run();
          }
        } catch (TicksDone done) {
          // All sent, or cancelled.
        }
      });
    } else {
      scheduler.scheduleAtFixedRate(tick, 0, interval, TimeUnit.MILLISECONDS);
    }
  }

  private static void refuse(StreamObserver<?> response, String why) {
    log.info("Ticks refused: {}", why);
    response.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** Thrown to end a periodic task; never seen by anyone (the future holds it). */
  private static final class TicksDone extends RuntimeException {
    TicksDone() {
      super(null, null, false, false);
    }
  }
}
