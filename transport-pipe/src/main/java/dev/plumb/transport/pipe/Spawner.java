package dev.plumb.transport.pipe;

import dev.plumb.rpc.kit.DaemonThreads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Starts every {@code pipe:} child of this JVM on one daemon thread that never ends. Linux's
 * parent-death signal, which a child arms ({@link ParentWatch}), fires when the *thread* that
 * started the child ends, not the process: the JDK starts a child on the thread that calls
 * {@link ProcessBuilder#start} (with every launch mechanism: posix_spawn of jspawnhelper,
 * which then execs the command in the same process, vfork and fork alike), and gRPC connects
 * on whatever thread asks first, an application's or a pool's, which may end a moment later.
 * Starting children here, a child's spawning thread lives as long as its parent.
 */
final class Spawner {
  private static final BlockingQueue<Runnable> starts = new LinkedBlockingQueue<>();

  static {
    DaemonThreads.newThread("plumb-pipe-spawner", Spawner::serve).start();
  }

  private Spawner() {}

  /**
   * Starts {@code builder}'s process on the spawning thread and waits for it to be started;
   * the process, once started, is the caller's, even if the wait was interrupted (it is then
   * killed).
   */
  static Process start(ProcessBuilder builder) throws IOException {
    CompletableFuture<Process> started = new CompletableFuture<>();
    starts.add(() -> {
      try {
        started.complete(builder.start());
      } catch (IOException | RuntimeException | Error e) {
        started.completeExceptionally(e);
      }
    });
    try {
      return started.get();
    } catch (InterruptedException e) {
      started.thenAccept(Process::destroyForcibly);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the child was being started");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      } else if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw (Error) cause;
    }
  }

  private static void serve() {
    while (true) {
      try {
        starts.take().run();
      } catch (InterruptedException e) {
        // Keep serving: if this thread ended, every child it started would get its signal.
      }
    }
  }
}
