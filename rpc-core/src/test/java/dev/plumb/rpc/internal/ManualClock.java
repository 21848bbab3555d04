package dev.plumb.rpc.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time moves only when a test says so: {@link #forward} runs, on the
 * calling thread, every task that falls due. What the session schedules (the handshake
 * timeout, keep-alive) is thus tested without waiting and without races. Periodic scheduling
 * is not supported: nothing in the session uses it.
 */
final class ManualClock extends AbstractExecutorService implements ScheduledExecutorService {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong((Task task) -> task.dueNanos)
          .thenComparingLong(task -> task.sequence));
  private long nowNanos;
  private long sequence;

  /** Advances time by {@code amount} and runs the tasks due by then, in time order. */
  void forward(long amount, TimeUnit unit) {
    long target = nowNanos + unit.toNanos(amount);
    Task next;
    while ((next = tasks.peek()) != null && next.dueNanos <= target) {
      tasks.poll();
      nowNanos = next.dueNanos;
      next.run();
    }
    nowNanos = target;
  }

  /** The clock's time, for what reads time rather than scheduling on it. */
  long nanoTime() {
    return nowNanos;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  int pending() {
    return tasks.size();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, nowNanos + unit.toNanos(delay), sequence++);
    tasks.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the session schedules only Runnables");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
      long period, TimeUnit unit) {
    throw new UnsupportedOperationException("the session schedules nothing periodic");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
      long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the session schedules nothing periodic");
  }

  /** Runs {@code command} at once, on the calling thread. */
  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return new ArrayList<>();
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

  private final class Task implements ScheduledFuture<Object>, Runnable {
    private final Runnable command;
    private final long dueNanos;
    private final long sequence;
    private boolean done;
    private boolean cancelled;

    Task(Runnable command, long dueNanos, long sequence) {
      this.command = command;
      this.dueNanos = dueNanos;
      this.sequence = sequence;
    }

    @Override
    public void run() {
      done = true;
      command.run();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done) {
        return false;
      }
      done = true;
      cancelled = true;
      tasks.remove(this);
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("nothing in the session waits for a task");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("nothing in the session waits for a task");
    }
  }
}
