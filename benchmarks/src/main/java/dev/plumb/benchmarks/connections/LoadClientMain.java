package dev.plumb.benchmarks.connections;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client JVM of the load test: {@code LoadClientMain TARGET CHANNELS SECONDS}. Opens CHANNELS
 * channels (a connection each), makes one call on each at once and prints
 * {@code CONNECTED <tally>}; on the line {@code go} from its stdin, keeps one unary call in
 * flight on every channel for SECONDS (after a failed call, the channel's next waits 100 ms, as
 * a client that retries would) and prints {@code RESULT <tally>}; then holds its connections
 * open until its stdin ends. A tally is {@link CallTally#toLine}.
 */
public final class LoadClientMain {
  static final String GO = "go";
  private static final long CALL_DEADLINE_SECONDS = 60;
  private static final long RETRY_PAUSE_MILLIS = 100;
  private static final Payload PAYLOAD =
      Payload.newBuilder().setData(ByteString.copyFrom(new byte[16])).build();

  private LoadClientMain() {}

  public static void main(String[] args) throws Exception {
    String target = args[0];
    int count = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      channels.add(PlumbChannelBuilder.forTarget(target).build());
    }
    CallTally connected = new CallTally();
    CountDownLatch firstCalls = new CountDownLatch(count);
    for (ManagedChannel channel : channels) {
      call(channel, status -> {
        connected.add(status);
        firstCalls.countDown();
      });
    }
    firstCalls.await();
    System.out.println("CONNECTED " + connected.toLine());
    System.out.flush();

    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (!GO.equals(stdin.readLine())) {
      shutdown(channels);
      return;
    }
    System.out.println("RESULT " + load(channels, seconds).toLine());
    System.out.flush();
    while (stdin.readLine() != null) {
      // Connections stay open until the load test is done measuring the server.
    }
    shutdown(channels);
    System.exit(0);
  }

  /** One call in flight per channel for {@code seconds}; returns how they ended. */
  private static CallTally load(List<ManagedChannel> channels, long seconds)
      throws InterruptedException {
    CallTally tally = new CallTally();
    ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger running = new AtomicInteger(channels.size());
    CountDownLatch done = new CountDownLatch(1);
    for (ManagedChannel channel : channels) {
      new Runnable() {
        @Override
        public void run() {
          call(channel, status -> {
            tally.add(status);
            if (System.nanoTime() - end >= 0) {
              if (running.decrementAndGet() == 0) {
                done.countDown();
              }
            } else if (status.isOk()) {
              run();
            } else {
              pauses.schedule(this, RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            }
          });
        }
      }.run();
    }
    done.await();
    pauses.shutdownNow();
    return tally;
  }

  private interface Outcome {
    void ended(Status status);
  }

  private static void call(ManagedChannel channel, Outcome outcome) {
    EchoGrpc.newStub(channel).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .unary(PAYLOAD, new StreamObserver<>() {
          @Override
          public void onNext(Payload value) {}

          @Override
          public void onError(Throwable t) {
            outcome.ended(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            outcome.ended(Status.OK);
          }
        });
  }

  private static void shutdown(List<ManagedChannel> channels) throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
