package dev.plumb.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The threads of {@code shm:} connections alive in this JVM, for tests that check they end. */
final class ConnectionThreads {
  private ConnectionThreads() {}

  /** Names of live threads of shm: connections. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("plumb-shm:") && thread.isAlive()) {
        names.add(thread.getName());
      }
    }
    return names;
  }

  /** Waits until no such thread is left, at most {@code millis}; fails naming those left. */
  static void awaitNone(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!names().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);  // Polling a condition with a deadline, not synchronising.
    }
    assertEquals(List.of(), names(), "connection threads left running");
  }
}
