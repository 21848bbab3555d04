package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plumb.rpc.registry.TransportRegistry;
import dev.plumb.rpc.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipe: child ends when its parent dies, however hard it is to end, and only then: not when
 * the thread that started it ends (Linux's parent-death signal follows that thread).
 */
@Timeout(60)
class ParentDeathTest {
  /** How long a child may take to end once its parent is gone: a JVM's exit, with slack. */
  private static final long EXIT_BOUND_MILLIS = 10_000;

  @Test
  void aChildWhoseShutdownHangsEndsWithinTheGraceOnceItsParentIsKilled() throws Exception {
    ProcessHandle child = startUnderParent(PipeParentMain.class, "pipe:"
        + ChildJvm.commandLine(HangingShutdownServerMain.class) + "#maxStarts=1000", parent -> {
          parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        });
    awaitExit(child, ParentWatch.ORPHAN_GRACE_MILLIS + EXIT_BOUND_MILLIS);
  }

  @Test
  void aChildThatNeverReadsItsStdinEndsWhenItsParentIsKilled() throws Exception {
    ProcessHandle child = startUnderParent(SpawningParentMain.class,
        "pipe:" + ChildJvm.commandLine(WatchedChildMain.class), parent -> {
          parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        });
    awaitExit(child, EXIT_BOUND_MILLIS);
  }

  @Test
  void aChildOutlivesTheThreadThatStartedIt() throws Exception {
    PipeCommand command = PipeCommand.parse(TransportRegistry.getDefault()
        .parse("pipe:" + ChildJvm.commandLine(WatchedChildMain.class)).uri());
    AtomicReference<Process> started = new AtomicReference<>();
    AtomicReference<Path> task = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread spawning = new Thread(() -> {
      try {
        task.set(Paths.get("/proc/self/task")
            .resolve(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName()));
        Process child = Spawner.start(ChildProcess.builder(command));
        started.set(child);
        // The thread ends once the child armed its signal: armed after this thread ended, the
        // signal would follow the thread that took over as the parent, a long-lived one.
        String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        if (!WatchedChildMain.ARMED.equals(line)) {
          throw new IllegalStateException("the child printed '" + line + "'");
        }
      } catch (Exception e) {
        failure.set(e);
      }
    }, "short-lived-spawner");
    spawning.start();
    spawning.join(30_000);
    Process child = started.get();
    try {
      if (failure.get() != null) {
        throw failure.get();
      }
      awaitGone(task.get());
      assertThrows(TimeoutException.class, () -> child.onExit().get(2, TimeUnit.SECONDS),
          "the child died when the thread that started it ended");
    } finally {
      if (child != null) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits until the thread's task left /proc: the kernel has signalled its children then. */
  private static void awaitGone(Path task) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(task)) {
      assertTrue(System.nanoTime() < deadline, task + " is still there");
      Thread.sleep(10);
    }
  }

  /**
   * Starts {@code parentMain} with {@code target}, reads the child's pid from its
   * {@code CHILD <pid>} line, applies {@code end} to the parent, and returns the child.
   */
  private static ProcessHandle startUnderParent(Class<?> parentMain, String target,
      ProcessAction end) throws Exception {
    Process parent = new ProcessBuilder(ChildJvm.command(parentMain, target))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "the parent printed nothing");
      assertTrue(line.startsWith("CHILD "), line);
      ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();
      end.apply(parent);
      return child;
    } finally {
      parent.destroyForcibly();
    }
  }

  private static void awaitExit(ProcessHandle child, long millis) throws Exception {
    try {
      child.onExit().get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      child.destroyForcibly();
      fail("the child " + child.pid() + " outlived its killed parent by " + millis + " ms");
    }
  }

  private interface ProcessAction {
    void apply(Process process) throws Exception;
  }
}
