package dev.plumb.demo;

import dev.plumb.examples.calculator.CalculatorGrpc.CalculatorBlockingStub;
import dev.plumb.examples.calculator.Number;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.examples.calculator.PrimesRequest;
import dev.plumb.examples.calculator.Result;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Calls every method of the calculator with inputs whose answers are known, including the
 * errors, and records each answer as right or wrong. A call that fails in an unexpected way
 * (UNAVAILABLE, DEADLINE_EXCEEDED...) is a wrong answer too.
 */
public final class CalculatorChecks {
  private static final List<Long> PRIMES_UP_TO_50 =
      List.of(2L, 3L, 5L, 7L, 11L, 13L, 17L, 19L, 23L, 29L, 31L, 37L, 41L, 43L, 47L);

  private final Stubs stubs;
  private final Checklist checklist;

  public CalculatorChecks(Stubs stubs, Checklist checklist) {
    this.stubs = stubs;
    this.checklist = checklist;
  }

  public void run() {
    expectValue("2 + 3", 5, calc -> calc.add(operands(2, 3)));
    expectValue("-7 + 4", -3, calc -> calc.add(operands(-7, 4)));
    expectValue("10 - 4", 6, calc -> calc.subtract(operands(10, 4)));
    expectValue("4 - 10", -6, calc -> calc.subtract(operands(4, 10)));
    expectValue("6 * 7", 42, calc -> calc.multiply(operands(6, 7)));
    expectValue("-6 * 7", -42, calc -> calc.multiply(operands(-6, 7)));
    expectValue("42 / 5", 8, calc -> calc.divide(operands(42, 5)));
    expectValue("-42 / 5", -8, calc -> calc.divide(operands(-42, 5)));
    expectStatus("1 / 0", Status.Code.INVALID_ARGUMENT, "division by zero",
        calc -> calc.divide(operands(1, 0)).getValue());
    expectStatus("MAX + 1", Status.Code.OUT_OF_RANGE, "does not fit",
        calc -> calc.add(operands(Long.MAX_VALUE, 1)).getValue());
    expectPrimes(50, PRIMES_UP_TO_50);
    expectPrimes(1, List.of());
    expectStatus("primes up to -1", Status.Code.INVALID_ARGUMENT, "limit",
        calc -> collect(calc.primes(PrimesRequest.newBuilder().setLimit(-1).build())));
  }

  private void expectValue(String what, long expected, Function<CalculatorBlockingStub, Result> call) {
    try {
      long actual = call.apply(stubs.next()).getValue();
      if (actual == expected) {
        checklist.pass();
      } else {
        checklist.fail(what + ": expected " + expected + ", got " + actual);
      }
    } catch (StatusRuntimeException e) {
      checklist.fail(what + ": expected " + expected + ", got " + describe(e.getStatus()));
    }
  }

  private void expectStatus(String what, Status.Code code, String descriptionPart,
      Function<CalculatorBlockingStub, Object> call) {
    try {
      Object answer = call.apply(stubs.next());
      checklist.fail(what + ": expected " + code + ", got the answer " + answer);
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      String description = status.getDescription() == null ? "" : status.getDescription();
      if (status.getCode() == code && description.contains(descriptionPart)) {
        checklist.pass();
      } else {
        checklist.fail(what + ": expected " + code + " saying '" + descriptionPart + "', got "
            + describe(status));
      }
    }
  }

  private void expectPrimes(long limit, List<Long> expected) {
    String what = "primes up to " + limit;
    try {
      List<Long> actual = collect(stubs.next().primes(
          PrimesRequest.newBuilder().setLimit(limit).build()));
      if (actual.equals(expected)) {
        checklist.pass();
      } else {
        checklist.fail(what + ": expected " + expected + ", got " + actual);
      }
    } catch (StatusRuntimeException e) {
      checklist.fail(what + ": expected " + expected + ", got " + describe(e.getStatus()));
    }
  }

  private static List<Long> collect(Iterator<Number> numbers) {
    List<Long> values = new ArrayList<>();
    numbers.forEachRemaining(number -> values.add(number.getValue()));
    return values;
  }

  private static Operands operands(long a, long b) {
    return Operands.newBuilder().setA(a).setB(b).build();
  }

  static String describe(Status status) {
    return status.getCode() + (status.getDescription() == null ? "" : ": "
        + status.getDescription());
  }
}
