package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.idle.IdleBudget;
import io.netty.channel.SelectStrategy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PollingSelectStrategyTest {
  private static final long BUDGET_NANOS =
      TimeUnit.MICROSECONDS.toNanos(IdleBudget.YIELD_UNTIL_MICROS);

  @Test
  void readyEventsAndTasksAreServedAtOnce() throws Exception {
    PollingSelectStrategy strategy = new PollingSelectStrategy(IdleBudget.forProcessors(2));
    assertEquals(3, strategy.calculateStrategy(() -> 3, false));
    assertEquals(0, strategy.calculateStrategy(() -> 0, true));
  }

  @Test
  void anIdleLoopPollsForItsBudgetThenBlocks() throws Exception {
    for (int processors : new int[] {2, 8}) {
      PollingSelectStrategy strategy =
          new PollingSelectStrategy(IdleBudget.forProcessors(processors));
      for (int burst = 0; burst < 2; burst++) {
        long start = System.nanoTime();
        int polls = 0;
        int strategyChosen;
        while ((strategyChosen = strategy.calculateStrategy(() -> 0, false))
            == SelectStrategy.CONTINUE) {
          polls++;
        }
        long idle = System.nanoTime() - start;
        assertEquals(SelectStrategy.SELECT, strategyChosen);
        assertTrue(polls > 0, "blocked without polling first");
        assertTrue(idle >= BUDGET_NANOS, "blocked after " + idle + " ns of polling");
        // The blocking select returned (work came): the next idle stretch polls afresh.
      }
    }
  }
}
