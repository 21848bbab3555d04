package dev.plumb.transport.pipe;

/**
 * A child that watches its parent as a stdio: server does ({@link ParentWatch}), prints
 * {@code ARMED} on stdout, and then waits for ever on a thread that is not a daemon, never
 * reading its stdin: only the watch can end it.
 */
public final class WatchedChildMain {
  static final String ARMED = "ARMED";

  private WatchedChildMain() {}

  public static void main(String[] args) throws InterruptedException {
    ParentWatch.start(Libc.Loaded.load().libc);
    System.out.println(ARMED);
    System.out.flush();
    Thread.currentThread().join();
  }
}
