package dev.plumb.rpc.log;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * WARN lines that a peer can cause (one per refused connection, per bad frame), at most
 * {@code limit} of each kind per {@code interval}, so that a misbehaving or hostile peer cannot
 * flood the log. The warnings past the limit are counted, and the next line of that kind that
 * is written says how many were left out: {@code ... (37 more like it suppressed)}. A count
 * that no later warning reports is lost with it.
 *
 * <p>One instance per logger, shared by its threads; each kind (a constant of the caller's,
 * such as {@code "refused"}, never text that comes from a peer) has its own budget.
 * Thread-safe.
 */
public final class RateLimitedWarnings {
  private final Logger log;
  private final int limit;
  private final Duration interval;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, RateWindow> windows = new ConcurrentHashMap<>();

  /** The core's budget for the warnings a peer can cause: 20 of a kind a minute. */
  public static RateLimitedWarnings forPeers(Logger log) {
    return new RateLimitedWarnings(log, 20, Duration.ofMinutes(1));
  }

  /**
   * @param limit warnings of one kind written per interval, at least 1
   * @param interval the length of each window, more than 0
   */
  public RateLimitedWarnings(Logger log, int limit, Duration interval) {
    this(log, limit, interval, System::nanoTime);
  }

  RateLimitedWarnings(Logger log, int limit, Duration interval, LongSupplier nanoClock) {
    RateWindow.check(limit, interval);
    this.log = log;
    this.limit = limit;
    this.interval = interval;
    this.nanoClock = nanoClock;
  }

  /**
   * Writes {@code format} with {@code arguments} at WARN, as {@link Logger#warn(String, Object...)}
   * does (a last argument that is a {@link Throwable} is logged as such), unless this kind used
   * up its budget for the current interval.
   */
  public void warn(String kind, String format, Object... arguments) {
    if (!log.isWarnEnabled()) {
      return;
    }
    long suppressed = windows.computeIfAbsent(kind, k -> new RateWindow(limit, interval))
        .admit(nanoClock.getAsLong());
    if (suppressed < 0) {
      return;
    }
    if (suppressed == 0) {
      log.warn(format, arguments);
      return;
    }
    FormattingTuple line = MessageFormatter.arrayFormat(format, arguments);
    log.warn(line.getMessage() + " (" + suppressed + " more like it suppressed)",
        line.getThrowable());
  }
}
