package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.ConformanceService;
import java.util.concurrent.CountDownLatch;

/**
 * A stdio: server that is hard to end: an application thread that is not a daemon, and a
 * shutdown hook that never returns, so neither the end of main nor System.exit ends it.
 */
public final class HangingShutdownServerMain {
  private HangingShutdownServerMain() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Thread worker = new Thread(() -> awaitQuietly(never), "application-worker");
    worker.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(never), "hanging-hook"));
    PlumbServerBuilder.forAddress("stdio:").addService(new ConformanceService()).build().start();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        // Hang on regardless: this process is meant to be hard to end.
      }
    }
  }
}
