package dev.plumb.demo;

import dev.plumb.examples.calculator.Number;
import dev.plumb.examples.calculator.PrimesRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures server-streaming throughput: messages per second of one {@code Primes} call, from
 * the request until the last message has arrived, after one untimed run to warm up. The
 * asynchronous stub receives, as a streaming consumer would (the blocking iterator hands every
 * message from thread to thread and measures mostly that). Both runs are checked afterwards,
 * outside the timed span, against a reference sieve here that shares no code with the server's.
 */
public final class StreamingRate {
  private StreamingRate() {}

  /** Messages per second of the timed run. */
  public static double measure(Stubs stubs, int limit, Checklist checklist)
      throws InterruptedException {
    long[] expected = referencePrimes(limit);
    verify(receive(stubs, limit, expected.length), expected, limit, "warm-up", checklist);
    long start = System.nanoTime();
    long[] timed = receive(stubs, limit, expected.length);
    long elapsed = System.nanoTime() - start;
    verify(timed, expected, limit, "timed", checklist);
    return timed.length / (elapsed / 1e9);
  }

  private static long[] receive(Stubs stubs, int limit, int expectedCount)
      throws InterruptedException {
    Collector collector = new Collector(expectedCount);
    stubs.nextAsync().primes(PrimesRequest.newBuilder().setLimit(limit).build(), collector);
    try {
      // The call's deadline ends it first; the margin is for a transport that misses it.
      return collector.done.get(stubs.deadline().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the stream neither completed nor failed after its deadline")
          .asRuntimeException();
    }
  }

  /** Keeps the values; gRPC calls one observer's methods one at a time. */
  private static final class Collector implements StreamObserver<Number> {
    final CompletableFuture<long[]> done = new CompletableFuture<>();
    private long[] values;
    private int count;

    Collector(int expectedCount) {
      values = new long[expectedCount];
    }

    @Override
    public void onNext(Number number) {
      if (count == values.length) {
        values = Arrays.copyOf(values, values.length * 2 + 1);
      }
      values[count++] = number.getValue();
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      done.complete(Arrays.copyOf(values, count));
    }
  }

  static void verify(long[] actual, long[] expected, int limit, String run,
      Checklist checklist) {
    String what = "streaming primes up to " + limit + " (" + run + " run): ";
    int mismatch = Arrays.mismatch(actual, expected);
    if (mismatch < 0) {
      checklist.pass();
    } else if (mismatch >= Math.min(actual.length, expected.length)) {
      checklist.fail(what + "expected " + expected.length + " messages, got " + actual.length);
    } else {
      checklist.fail(what + "message " + mismatch + " is " + actual[mismatch] + ", expected "
          + expected[mismatch]);
    }
  }

  /** The textbook sieve over every number: obviously right, and fast enough for a check. */
  static long[] referencePrimes(int limit) {
    boolean[] composite = new boolean[limit + 1];
    long[] primes = new long[16];
    int count = 0;
    for (int n = 2; n <= limit; n++) {
      if (!composite[n]) {
        if (count == primes.length) {
          primes = Arrays.copyOf(primes, count * 2);
        }
        primes[count++] = n;
        for (long multiple = (long) n * n; multiple <= limit; multiple += n) {
          composite[(int) multiple] = true;
        }
      }
    }
    return Arrays.copyOf(primes, count);
  }
}
