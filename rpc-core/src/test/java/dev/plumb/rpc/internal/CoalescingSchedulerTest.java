package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CoalescingSchedulerTest {
  /** A real timer thread that counts how often it was given a task, i.e. planned a wake-up. */
  private final CountingTimer timer = new CountingTimer();
  private final CoalescingScheduler scheduler = new CoalescingScheduler(timer, System::nanoTime);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void aDeadlineLaterThanAPlannedWakeUpWakesNobody() {
    ScheduledFuture<?> first = scheduler.schedule(() -> { }, 10, TimeUnit.SECONDS);
    scheduler.schedule(() -> { }, 20, TimeUnit.SECONDS);
    first.cancel(false);
    scheduler.schedule(() -> { }, 30, TimeUnit.SECONDS);

    assertEquals(1, timer.scheduled.get());
    assertEquals(2, scheduler.pendingCount());
  }

  @Test
  void theDeadlinesOfCallsOneAfterTheOtherPlanOneWakeUpAndDoNotPileUp() {
    for (int call = 0; call < 10_000; call++) {
      scheduler.schedule(() -> { }, 30, TimeUnit.SECONDS).cancel(false);
    }

    assertEquals(1, timer.scheduled.get());
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void anEarlierTaskRunsAtItsTimeNotAtThePlannedWakeUp() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    ScheduledFuture<?> late = scheduler.schedule(() -> { }, 60, TimeUnit.SECONDS);
    scheduler.schedule(ran::countDown, 10, TimeUnit.MILLISECONDS);

    assertTrue(ran.await(10, TimeUnit.SECONDS));
    assertFalse(late.isDone());
    assertEquals(2, timer.scheduled.get());
  }

  @Test
  void tasksRunInTheOrderOfTheirTimesEachWakeUpPlanningTheNext() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(3);
    scheduler.schedule(() -> record(order, all, 1), 20, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> record(order, all, 3), 60, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> record(order, all, 2), 40, TimeUnit.MILLISECONDS);

    assertTrue(all.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(1, 2, 3), order);
    assertEquals(0, scheduler.pendingCount());
  }

  @Test
  void aCallableGivesItsResultAndACancelledTaskNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> cancelled = scheduler.schedule(() -> {
      runs.incrementAndGet();
    }, 10, TimeUnit.MILLISECONDS);
    assertTrue(cancelled.cancel(false));
    ScheduledFuture<String> answer = scheduler.schedule(() -> "done", 30, TimeUnit.MILLISECONDS);

    assertEquals("done", answer.get(10, TimeUnit.SECONDS));
    assertFalse(answer.cancel(false));
    assertEquals(0, runs.get());
    assertTrue(cancelled.isCancelled());
  }

  private static void record(List<Integer> order, CountDownLatch all, int task) {
    order.add(task);
    all.countDown();
  }

  private static final class CountingTimer extends ScheduledThreadPoolExecutor {
    final AtomicInteger scheduled = new AtomicInteger();

    CountingTimer() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      scheduled.incrementAndGet();
      return super.schedule(command, delay, unit);
    }
  }
}
