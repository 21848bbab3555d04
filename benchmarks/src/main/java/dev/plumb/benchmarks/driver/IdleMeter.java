package dev.plumb.benchmarks.driver;

import dev.plumb.benchmarks.server.ProcessMeter;
import java.time.Duration;
import java.util.Map;

/**
 * What an open, idle channel costs: the CPU time and wake-ups of the client and server
 * processes over a window in which nothing is sent. A transport that blocks in reads costs
 * nothing here; one that polls (a shared-memory ring) or keeps timers costs what this shows.
 *
 * <p>Read from Linux's {@code /proc} ({@link ThreadCpu}, {@link ProcessMeter}), per thread
 * group, so the JIT compiler threads, which may still be compiling what the measurements before
 * ran, can be left out of the totals; they stay visible in the per-group figures. Threads that
 * end during the window are missed. Nothing is recorded where there is no {@code /proc}.
 */
final class IdleMeter {
  private IdleMeter() {}

  /**
   * Leaves the channel alone for {@code window} and puts the figures. {@code serverPid} is -1
   * when the server runs in this JVM (its costs are then in the client's).
   */
  static void measure(Map<String, Double> figures, long serverPid, Duration window)
      throws InterruptedException {
    long clientPid = ProcessHandle.current().pid();
    Snapshot client = Snapshot.of(clientPid);
    Snapshot server = serverPid < 0 ? null : Snapshot.of(serverPid);
    // The sleep is the measurement window itself, not a wait for something to happen: by
    // design nothing happens in it.
    Thread.sleep(window.toMillis());
    client.putUsed(figures, "client", Metrics.IDLE_CLIENT_CPU, Metrics.IDLE_CLIENT_SWITCHES);
    if (server != null) {
      server.putUsed(figures, "server", Metrics.IDLE_SERVER_CPU, Metrics.IDLE_SERVER_SWITCHES);
    }
  }

  /** A process's per-thread-group CPU and its wake-ups at one moment. */
  private record Snapshot(long pid, Map<String, Long> threads, long switches) {
    static Snapshot of(long pid) {
      return new Snapshot(pid, ThreadCpu.read(pid), ProcessMeter.voluntaryContextSwitches(pid));
    }

    /** Puts what the process used since this snapshot; nothing if /proc is not there. */
    void putUsed(Map<String, Double> figures, String side, String cpuMetric,
        String switchesMetric) {
      Map<String, Long> now = ThreadCpu.read(pid);
      long switchesNow = ProcessMeter.voluntaryContextSwitches(pid);
      if (now.isEmpty()) {
        return;
      }
      long nanos = 0;
      for (Map.Entry<String, Long> group : ThreadCpu.difference(now, threads).entrySet()) {
        figures.put(Metrics.idleThreadsPrefix(side) + group.getKey(), group.getValue() / 1e6);
        if (!ThreadCpu.isCompiler(group.getKey())) {
          nanos += group.getValue();
        }
      }
      figures.put(cpuMetric, nanos / 1e6);
      if (switches >= 0 && switchesNow >= 0) {
        figures.put(switchesMetric, (double) (switchesNow - switches));
      }
    }
  }
}
