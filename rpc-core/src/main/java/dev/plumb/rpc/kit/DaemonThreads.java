package dev.plumb.rpc.kit;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a transport starts: daemons, so that an open connection or listener never keeps a
 * JVM alive, and named (by convention {@code plumb-SCHEME...}), so that a thread dump says whose
 * they are.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A daemon thread named {@code name} that runs {@code body}, not started yet. */
  public static Thread newThread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Makes daemon threads named {@code prefix1}, {@code prefix2}, ... for an executor. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return body -> newThread(prefix + count.incrementAndGet(), body);
  }
}
