package dev.plumb.demo;

import dev.plumb.examples.calculator.Operands;

/**
 * Times unary round trips one at a time, after a warm-up: each is a blocking {@code Add} whose
 * answer is checked (outside the timed span), so a fast wrong answer does not count as fast.
 */
public final class UnaryLatency {
  private UnaryLatency() {}

  public static LatencySummary measure(Stubs stubs, int warmupCalls, int timedCalls,
      Checklist checklist) {
    WrongAnswers wrong = new WrongAnswers();
    for (int i = 0; i < warmupCalls; i++) {
      wrong.check(i, stubs.next().add(operands(i)).getValue());
    }
    long[] nanos = new long[timedCalls];
    for (int i = 0; i < timedCalls; i++) {
      Operands operands = operands(i);
      long start = System.nanoTime();
      long answer = stubs.next().add(operands).getValue();
      nanos[i] = System.nanoTime() - start;
      wrong.check(i, answer);
    }
    wrong.report(warmupCalls + timedCalls, checklist);
    return LatencySummary.of(nanos);
  }

  private static Operands operands(int i) {
    return Operands.newBuilder().setA(i).setB(1).build();
  }

  /** Counts wrong answers to {@code i + 1} and keeps the first for the report. */
  private static final class WrongAnswers {
    private int count;
    private String first;

    void check(int i, long answer) {
      if (answer != i + 1L) {
        if (count++ == 0) {
          first = i + " + 1: expected " + (i + 1L) + ", got " + answer;
        }
      }
    }

    void report(int calls, Checklist checklist) {
      if (count == 0) {
        checklist.pass();
      } else {
        checklist.fail(count + " of " + calls + " timed answers were wrong; the first: " + first);
      }
    }
  }
}
