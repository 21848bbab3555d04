package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The order and the failure rules of the calls a session makes after releasing its lock. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CallbackQueueTest {
  private final Object lock = new Object();
  private final CallbackQueue queue = new CallbackQueue(lock, "test");
  private final List<String> ran = new ArrayList<>();

  private void add(Runnable call) {
    synchronized (lock) {
      queue.add(call);
    }
  }

  @Test
  void callsAddedWhileRunningRunAfterTheOthersInOrder() {
    add(() -> {
      ran.add("a");
      add(() -> ran.add("c"));
    });
    add(() -> ran.add("b"));

    queue.run();

    assertEquals(List.of("a", "b", "c"), ran);
  }

  @Test
  void nothingRunsWhileTheCallerHoldsTheLock() {
    add(() -> ran.add("a"));
    synchronized (lock) {
      queue.run();
      assertEquals(List.of(), ran);
    }
    queue.run();
    assertEquals(List.of("a"), ran);
  }

  @Test
  void aCallThatThrowsDoesNotSilenceTheNext() {
    add(() -> {
      throw new IllegalStateException("a listener's bug");
    });
    add(() -> ran.add("b"));

    queue.run();

    assertEquals(List.of("b"), ran);
  }

  @Test
  void anErrorLeavesTheCallsNotRunToTheNextCallerInOrder() {
    add(() -> ran.add("a"));
    add(() -> {
      add(() -> ran.add("d"));
      throw new AssertionError("escapes");
    });
    add(() -> ran.add("b"));
    add(() -> ran.add("c"));

    assertThrows(AssertionError.class, queue::run);
    assertEquals(List.of("a"), ran);

    queue.run();
    assertEquals(List.of("a", "b", "c", "d"), ran);
  }
}
