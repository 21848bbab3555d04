package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PrimeSieveTest {
  @Test
  void matchesTrialDivisionAtEveryLimitUpTo2000() {
    for (int limit = 0; limit <= 2_000; limit++) {
      int l = limit;
      long[] expected = LongStream.rangeClosed(2, l).filter(PrimeSieveTest::isPrime).toArray();
      assertArrayEquals(expected, drain(PrimeSieve.upTo(l)), "limit " + l);
    }
  }

  @Test
  void endsAtTheLimitInclusive() {
    assertArrayEquals(new long[] {2, 3, 5, 7}, drain(PrimeSieve.upTo(7)));
    assertArrayEquals(new long[] {2, 3, 5}, drain(PrimeSieve.upTo(6)));
    PrimitiveIterator.OfInt none = PrimeSieve.upTo(1);
    assertFalse(none.hasNext());
    assertThrows(NoSuchElementException.class, none::nextInt);
  }

  private static long[] drain(PrimitiveIterator.OfInt primes) {
    LongStream.Builder values = LongStream.builder();
    primes.forEachRemaining((int p) -> values.add(p));
    return values.build().toArray();
  }

  private static boolean isPrime(long n) {
    return n >= 2 && IntStream.rangeClosed(2, (int) Math.sqrt(n)).noneMatch(d -> n % d == 0);
  }
}
