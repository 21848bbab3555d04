package dev.plumb.examples.clock;

import dev.plumb.examples.ExampleConfiguration;
import io.grpc.ManagedChannel;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * "Hello, I'm your server": {@code ClockClient TARGET [COUNT [INTERVAL_MILLIS]]} greets the
 * server, then prints its clock's ticks as they stream in (server streaming).
 */
public final class ClockClient {
  private ClockClient() {}

  public static void main(String[] args) throws InterruptedException {
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int interval = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    ManagedChannel channel = ExampleConfiguration.client(args).channelBuilder().build();
    try {
      ClockGrpc.ClockBlockingStub clock = ClockGrpc.newBlockingStub(channel);
      HelloReply hello = clock.withDeadlineAfter(30, TimeUnit.SECONDS)
          .hello(HelloRequest.newBuilder().setName(System.getProperty("user.name")).build());
      System.out.println(hello.getGreeting() + " (pid " + hello.getServerPid() + ")");
      Iterator<Tick> ticks = clock
          .withDeadlineAfter(30 + (long) count * interval / 1000, TimeUnit.SECONDS)
          .ticks(TicksRequest.newBuilder().setCount(count).setIntervalMillis(interval).build());
      while (ticks.hasNext()) {
        Tick tick = ticks.next();
        System.out.printf("tick %d: %s (%.3f s into the call)%n", tick.getSequence(),
            Instant.ofEpochMilli(tick.getEpochMillis()), tick.getElapsedNanos() / 1e9);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
