package dev.plumb.demo;

import dev.plumb.examples.clock.ClockGrpc;
import dev.plumb.examples.clock.HelloReply;
import dev.plumb.examples.clock.HelloRequest;
import dev.plumb.examples.clock.Tick;
import dev.plumb.examples.clock.TicksRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * "Hello, I'm your server" in the demo: the greeting must name the demo and come from the
 * server's process; the ticks (server streaming) must be numbered 1..n, never early, and in
 * order of the server's clock.
 */
final class ClockChecks {
  static final int TICKS = 5;
  static final int INTERVAL_MILLIS = 20;

  private ClockChecks() {}

  static void run(Channel channel, Duration deadline, long serverPid, Checklist checklist,
      Consumer<String> progress) {
    ClockGrpc.ClockBlockingStub clock = ClockGrpc.newBlockingStub(channel);
    try {
      HelloReply hello = clock.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
          .hello(HelloRequest.newBuilder().setName("demo").build());
      progress.accept("clock: '" + hello.getGreeting() + "' from pid " + hello.getServerPid());
      if (!hello.getGreeting().equals("Hello, demo, I'm your server")) {
        checklist.fail("Hello: got the greeting '" + hello.getGreeting() + "'");
      } else if (serverPid > 0 && hello.getServerPid() != serverPid) {
        checklist.fail("Hello: answered by pid " + hello.getServerPid() + ", the server is pid "
            + serverPid);
      } else {
        checklist.pass();
      }
    } catch (StatusRuntimeException e) {
      checklist.fail("Hello: " + CalculatorChecks.describe(e.getStatus()));
    }
    try {
      List<Tick> ticks = new ArrayList<>();
      clock.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
          .ticks(TicksRequest.newBuilder().setCount(TICKS).setIntervalMillis(INTERVAL_MILLIS)
              .build())
          .forEachRemaining(ticks::add);
      String wrong = wrongTick(ticks);
      if (wrong == null) {
        checklist.pass();
        progress.accept(String.format("clock: %d ticks %d ms apart, the last %.1f ms into the"
            + " call", TICKS, INTERVAL_MILLIS, ticks.get(TICKS - 1).getElapsedNanos() / 1e6));
      } else {
        checklist.fail("Ticks: " + wrong);
      }
    } catch (StatusRuntimeException e) {
      checklist.fail("Ticks: " + CalculatorChecks.describe(e.getStatus()));
    }
  }

  /** What is wrong with the ticks, or null. */
  private static String wrongTick(List<Tick> ticks) {
    if (ticks.size() != TICKS) {
      return "expected " + TICKS + " ticks, got " + ticks.size();
    }
    for (int i = 0; i < TICKS; i++) {
      Tick tick = ticks.get(i);
      if (tick.getSequence() != i + 1) {
        return "tick " + (i + 1) + " is numbered " + tick.getSequence();
      }
      if (tick.getElapsedNanos() < TimeUnit.MILLISECONDS.toNanos((long) INTERVAL_MILLIS * i)) {
        return "tick " + (i + 1) + " came early, " + tick.getElapsedNanos() + " ns into the call";
      }
      if (i > 0 && tick.getElapsedNanos() < ticks.get(i - 1).getElapsedNanos()) {
        return "tick " + (i + 1) + " is earlier than tick " + i + " by the server's clock";
      }
    }
    return null;
  }
}
