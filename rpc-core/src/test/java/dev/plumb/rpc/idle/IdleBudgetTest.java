package dev.plumb.rpc.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.rpc.idle.IdleBudget.Phase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The phases of a waiting thread by the number of processors: busy-spin only with cores to spare. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IdleBudgetTest {
  private static final long MICROS = 1_000;

  @Test
  void withCoresToSpareItSpinsThenYieldsThenSleeps() {
    IdleBudget budget = IdleBudget.forProcessors(IdleBudget.SPIN_MIN_PROCESSORS);
    assertEquals(Phase.SPIN, budget.phase(0));
    assertEquals(Phase.SPIN, budget.phase(IdleBudget.SPIN_MICROS * MICROS - 1));
    assertEquals(Phase.YIELD, budget.phase(IdleBudget.SPIN_MICROS * MICROS));
    assertEquals(Phase.YIELD, budget.phase(IdleBudget.YIELD_UNTIL_MICROS * MICROS - 1));
    assertEquals(Phase.SLEEP, budget.phase(IdleBudget.YIELD_UNTIL_MICROS * MICROS));
    assertEquals(Phase.SPIN, budget.neverSleeping());
  }

  @Test
  void withFewCoresItYieldsFromTheStartAndSleepsAsLate() {
    for (int processors = 1; processors < IdleBudget.SPIN_MIN_PROCESSORS; processors++) {
      IdleBudget budget = IdleBudget.forProcessors(processors);
      assertEquals(Phase.YIELD, budget.phase(0), processors + " processors");
      assertEquals(Phase.YIELD, budget.phase(IdleBudget.YIELD_UNTIL_MICROS * MICROS - 1));
      assertEquals(Phase.SLEEP, budget.phase(IdleBudget.YIELD_UNTIL_MICROS * MICROS));
      assertEquals(Phase.YIELD, budget.neverSleeping(), "a never-sleeping poller yields with few cores");
    }
  }
}
