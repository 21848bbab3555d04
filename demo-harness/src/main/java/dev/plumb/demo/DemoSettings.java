package dev.plumb.demo;

import dev.plumb.demo.share.ShareDemo;
import java.time.Duration;

/**
 * How much work the demo does per transport.
 *
 * @param warmupCalls unary calls made before timing, so the JIT has compiled every path
 * @param timedCalls unary calls whose round trips are timed one by one
 * @param primesLimit the limit of the streaming call that is timed (and of its warm-up run)
 * @param serverStartTimeout how long the server child may take to print READY
 * @param callDeadline the deadline of every call
 * @param grepLines how many generated lines the {@code grep} example streams to its filter
 *     child after the {@code ps -ef} lines
 * @param bufferItems how many items the producer/consumer example sends per call (16 KiB each,
 *     consumed at 1 ms each)
 * @param shareBytes the size of the data set the share example's producer shares with its two
 *     consumers
 * @param shareWarmUp how long each of the share example's consumers makes small calls before
 *     its timed rounds
 */
public record DemoSettings(int warmupCalls, int timedCalls, int primesLimit,
    Duration serverStartTimeout, Duration callDeadline, int grepLines, int bufferItems,
    long shareBytes, Duration shareWarmUp) {

  /**
   * What {@code ./demo} does, in 15 to 20 seconds per transport. The warm-up is long because
   * on a small machine (two cores) the JIT needs some 20,000 calls before round trips settle;
   * after 2,000 they are still 3 to 5 times slower. 148,933 primes are streamed. The share
   * example shares 100 MiB, as the lectures' quiz has it, after its own warm-up.
   */
  public static final DemoSettings FULL = new DemoSettings(20_000, 10_000, 2_000_000,
      Duration.ofSeconds(30), Duration.ofSeconds(10), 100_000, 500, 100L << 20,
      ShareDemo.DEFAULT_WARM_UP);

  /** Enough to exercise every step once, for tests and {@code Demo --quick}. */
  public static final DemoSettings QUICK = new DemoSettings(50, 200, 10_000,
      Duration.ofSeconds(30), Duration.ofSeconds(10), 20_000, 200, 16L << 20, Duration.ZERO);
}
