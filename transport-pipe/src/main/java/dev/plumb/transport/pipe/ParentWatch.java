package dev.plumb.transport.pipe;

import com.sun.jna.LastErrorException;
import dev.plumb.rpc.kit.DaemonThreads;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a {@code stdio:} child whose parent is gone, even one whose stdin end the transport does
 * not see or whose shutdown hangs; docs/TRANSPORTS.md ("Failure and attack model") has the
 * reasoning. A {@code pipe:} parent names itself in {@link #PARENT_PID_VARIABLE}, which also
 * promises that the thread that started the child lives as long as the parent
 * ({@link Spawner}). Then:
 *
 * <ul>
 *   <li>the parent is this process's parent, on Linux: the kernel sends SIGTERM when it dies
 *       ({@code prctl(PR_SET_PDEATHSIG)}), and a parent that died before that is caught by
 *       comparing {@code getppid()} once more after it;
 *   <li>the parent is an ancestor (the command was a script that did not {@code exec}), or
 *       {@code prctl} is not to be had: a watchdog thread checks the parent every 500 ms;
 *   <li>the parent is neither: it died before this process got here, which exits.
 * </ul>
 *
 * Without the variable (a parent that is not Plumb's) the watchdog checks the parent this
 * process had at the start; no signal is armed, since its spawning thread may be short-lived.
 * In every case, once the JVM is shutting down and the parent is gone, it halts after
 * {@link #ORPHAN_GRACE_MILLIS}, so a shutdown hook that hangs cannot keep an orphan alive.
 */
final class ParentWatch {
  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);
  /**
   * Set by the {@code pipe:} parent on its child: the parent's pid. Lower case: it is no
   * setting, and the configuration loader warns of every unknown {@code PLUMB_*} variable.
   */
  static final String PARENT_PID_VARIABLE = "plumb_pipe_parent_pid";
  static final long ORPHAN_GRACE_MILLIS = 5_000;
  private static final long WATCHDOG_PERIOD_MILLIS = 500;
  /** How far up the process tree a parent is looked for: wrapper scripts are shallow. */
  private static final int MAX_ANCESTORS = 32;

  private final Libc libc;
  private final long parent;
  /** Whether {@link #parent} is this process's parent; else it is a further ancestor. */
  private final boolean direct;

  private ParentWatch(Libc libc, long parent, boolean direct) {
    this.libc = libc;
    this.parent = parent;
    this.direct = direct;
  }

  /**
   * Starts watching; exits the process (as {@link #exit} does) if the parent is gone already.
   *
   * @param libc Linux's C library, or null where there is none
   */
  static ParentWatch start(Libc libc) {
    long ppid = currentParent(libc);
    Long declared = declaredParent();
    ParentWatch watch;
    if (declared == null) {
      watch = new ParentWatch(libc, ppid, true);
      watch.startWatchdog();
    } else if (declared == ppid) {
      watch = new ParentWatch(libc, declared, true);
      if (!watch.armDeathSignal()) {
        watch.startWatchdog();
      }
    } else if (isAncestor(declared)) {
      log.info("started by pid {} through pid {} (a script?); a watchdog checks that pid {} is"
          + " alive", declared, ppid, declared);
      watch = new ParentWatch(libc, declared, false);
      watch.startWatchdog();
    } else {
      watch = new ParentWatch(libc, declared, true);
      exit("the parent (pid " + declared + ") died before this process was ready");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DaemonThreads.newThread(
        "plumb-stdio-orphan-halt", watch::haltOnceOrphaned).start(), "plumb-stdio-shutdown"));
    return watch;
  }

  /** The pid of the process at the other end of the pipes. */
  long parentPid() {
    return parent;
  }

  boolean parentGone() {
    if (direct) {
      return currentParent(libc) != parent;
    }
    return !ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Ends the process on a thread of its own, running the shutdown hooks. */
  static void exit(String why) {
    log.info("{}; exiting", why);
    // Not on the caller's thread: System.exit waits for the shutdown hooks, and the caller
    // may be one of the threads they wait for.
    new Thread(() -> System.exit(0), "plumb-stdio-exit").start();
  }

  /** SIGTERM at the parent's death; false if the kernel cannot do that here. */
  private boolean armDeathSignal() {
    if (libc == null) {
      return false;
    }
    try {
      libc.prctl(Libc.PR_SET_PDEATHSIG, Libc.SIGTERM, 0, 0, 0);
    } catch (LastErrorException e) {
      log.warn("prctl(PR_SET_PDEATHSIG) failed ({}); a watchdog checks the parent instead",
          e.getMessage());
      return false;
    }
    // The parent may have died before the signal was armed: this process has a new parent
    // then, and no signal will come.
    if (parentGone()) {
      exit("the parent (pid " + parent + ") died before this process was ready");
    }
    return true;
  }

  private void startWatchdog() {
    DaemonThreads.newThread("plumb-stdio-parent-watch", () -> {
      try {
        while (!parentGone()) {
          Thread.sleep(WATCHDOG_PERIOD_MILLIS);
        }
        exit("the parent (pid " + parent + ") is gone");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).start();
  }

  /** On a daemon thread once shutdown began: halts an orphan whose shutdown takes too long. */
  private void haltOnceOrphaned() {
    try {
      while (!parentGone()) {
        Thread.sleep(WATCHDOG_PERIOD_MILLIS);
      }
      Thread.sleep(ORPHAN_GRACE_MILLIS);
    } catch (InterruptedException e) {
      return;
    }
    log.error("the parent (pid {}) is gone and this process is still shutting down {} ms"
        + " later (a shutdown hook hangs?); halting", parent, ORPHAN_GRACE_MILLIS);
    Runtime.getRuntime().halt(1);
  }

  private static long currentParent(Libc libc) {
    if (libc != null) {
      return libc.getppid();
    }
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  private static Long declaredParent() {
    String value = System.getenv(PARENT_PID_VARIABLE);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      log.warn("{}='{}' is not a pid; ignored", PARENT_PID_VARIABLE, value);
      return null;
    }
  }

  private static boolean isAncestor(long pid) {
    Optional<ProcessHandle> ancestor = ProcessHandle.current().parent();
    for (int i = 0; i < MAX_ANCESTORS && ancestor.isPresent(); i++) {
      if (ancestor.get().pid() == pid) {
        return true;
      }
      ancestor = ancestor.get().parent();
    }
    return false;
  }
}
