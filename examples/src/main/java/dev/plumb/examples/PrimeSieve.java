package dev.plumb.examples;

import java.util.BitSet;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/** The primes up to a limit, by the sieve of Eratosthenes over the odd numbers. */
final class PrimeSieve {
  private PrimeSieve() {}

  /** The primes p with 2 <= p <= limit, in increasing order. */
  static PrimitiveIterator.OfInt upTo(int limit) {
    // Bit i stands for the odd number 2i + 1 and is set when that number is composite.
    BitSet composite = new BitSet(limit / 2 + 1);
    composite.set(0); // 1 is not prime
    for (long p = 3; p * p <= limit; p += 2) {
      if (!composite.get((int) (p / 2))) {
        for (long multiple = p * p; multiple <= limit; multiple += 2 * p) {
          composite.set((int) (multiple / 2));
        }
      }
    }
    return new PrimitiveIterator.OfInt() {
      private int next = limit >= 2 ? 2 : Integer.MAX_VALUE;

      @Override
      public boolean hasNext() {
        return next <= limit;
      }

      @Override
      public int nextInt() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int current = next;
        int bit = composite.nextClearBit(current == 2 ? 1 : current / 2 + 1);
        long candidate = 2L * bit + 1;
        next = candidate <= limit ? (int) candidate : Integer.MAX_VALUE;
        return current;
      }
    };
  }
}
