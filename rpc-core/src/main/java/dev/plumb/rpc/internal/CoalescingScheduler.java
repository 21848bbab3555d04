package dev.plumb.rpc.internal;

import io.grpc.internal.GrpcUtil;
import io.grpc.internal.SharedResourceHolder;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler Plumb gives gRPC (call deadlines, server-side deadline contexts) and its own
 * sessions: one-shot tasks are kept here and run on gRPC's shared timer thread, which is woken
 * only when a task is due earlier than every wake-up already planned.
 *
 * <p>Why: gRPC's timer is a {@code ScheduledThreadPoolExecutor}, which signals its thread
 * whenever a new task becomes the earliest. A call with a deadline schedules one task and
 * cancels it when the call ends, so with one call at a time every call's task is the earliest:
 * each call woke the timer thread once per side, a thread hand-off costing more than a local
 * round trip. Here a call's deadline, later than the wake-up planned for an earlier call's
 * (which stays planned after that call's task is cancelled), wakes nobody; the timer thread
 * wakes at the planned time, runs what is due and plans the next wake-up for the earliest task
 * left, so a steady flow of calls costs about one wake-up per deadline period.
 *
 * <p>Periodic tasks and {@code execute} go to the timer as they are. Shutting this scheduler
 * down is refused: it is shared, and released through {@link #SHARED}.
 */
final class CoalescingScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private static final Logger log = LoggerFactory.getLogger(CoalescingScheduler.class);

  /** One per JVM while anyone holds it, over gRPC's shared timer. */
  static final SharedResourceHolder.Resource<ScheduledExecutorService> SHARED =
      new SharedResourceHolder.Resource<>() {
        @Override
        public ScheduledExecutorService create() {
          return new CoalescingScheduler(SharedResourceHolder.get(GrpcUtil.TIMER_SERVICE),
              System::nanoTime);
        }

        @Override
        public void close(ScheduledExecutorService instance) {
          SharedResourceHolder.release(GrpcUtil.TIMER_SERVICE,
              ((CoalescingScheduler) instance).timer);
        }

        @Override
        public String toString() {
          return "plumb-timer";
        }
      };

  private final ScheduledExecutorService timer;
  private final LongSupplier nanoTime;
  /** Orders tasks due at the same nanosecond by when they were scheduled. */
  private final AtomicLong sequence = new AtomicLong();
  /** Guards the two sets below. Tasks never run under it. */
  private final Object lock = new Object();
  /** The one-shot tasks not yet run nor cancelled, earliest first. */
  private final NavigableSet<Task<?>> pending = new TreeSet<>(Task::compareDue);
  /** The times (nanoTime) at which a wake-up of the timer is planned, earliest first. */
  private final NavigableSet<Long> wakeUps = new TreeSet<>();

  CoalescingScheduler(ScheduledExecutorService timer, LongSupplier nanoTime) {
    this.timer = timer;
    this.nanoTime = nanoTime;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(Executors.callable(command, null), dueIn(delay, unit)));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, dueIn(delay, unit)));
  }

  private long dueIn(long delay, TimeUnit unit) {
    return nanoTime.getAsLong() + Math.max(0, unit.toNanos(delay));
  }

  private <V> Task<V> add(Task<V> task) {
    boolean wake;
    synchronized (lock) {
      pending.add(task);
      wake = wakeUps.isEmpty() || task.due - wakeUps.first() < 0;
      if (wake) {
        wakeUps.add(task.due);
      }
    }
    if (wake) {
      planWakeUp(task.due);
    }
    return task;
  }

  private void planWakeUp(long at) {
    timer.schedule(() -> wakeUp(at), at - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
  }

  /** On the timer thread: runs what is due, outside the lock, and plans the next wake-up. */
  private void wakeUp(long plannedAt) {
    List<Task<?>> due = new ArrayList<>();
    long next = 0;
    boolean plan = false;
    synchronized (lock) {
      wakeUps.remove(plannedAt);
      long now = nanoTime.getAsLong();
      while (!pending.isEmpty() && pending.first().due - now <= 0) {
        due.add(pending.pollFirst());
      }
      if (!pending.isEmpty()) {
        next = pending.first().due;
        plan = wakeUps.isEmpty() || next - wakeUps.first() < 0;
        if (plan) {
          wakeUps.add(next);
        }
      }
    }
    if (plan) {
      planWakeUp(next);
    }
    for (Task<?> task : due) {
      task.run();
    }
  }

  private void remove(Task<?> task) {
    synchronized (lock) {
      pending.remove(task);
    }
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
      long period, TimeUnit unit) {
    return timer.scheduleAtFixedRate(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
      long delay, TimeUnit unit) {
    return timer.scheduleWithFixedDelay(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    timer.execute(command);
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("Plumb's scheduler is shared; it is not shut down");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("Plumb's scheduler is shared; it is not shut down");
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  /** How many one-shot tasks wait; for tests. */
  int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /**
   * A one-shot task. {@link FutureTask} gives it the run-once and cancel semantics (a task
   * cancelled while the timer thread is about to run it does not run); cancelling also drops
   * it from {@link #pending}, so cancelled deadlines do not pile up until their time.
   */
  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long due;
    private final long order = sequence.getAndIncrement();

    Task(Callable<V> callable, long due) {
      super(callable);
      this.due = due;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        remove(this);
      }
      return cancelled;
    }

    /** On the timer thread, from {@link #run}: nobody may ever ask the future, so say it. */
    @Override
    protected void setException(Throwable t) {
      log.warn("a scheduled task failed", t);
      super.setException(t);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return other instanceof Task ? compareDue(this, (Task<?>) other)
          : Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    /** Earliest first; nanoTime values compare by their difference, which survives wrapping. */
    static int compareDue(Task<?> a, Task<?> b) {
      int byTime = Long.compare(a.due - b.due, 0);
      return byTime != 0 ? byTime : Long.compare(a.order, b.order);
    }
  }
}
