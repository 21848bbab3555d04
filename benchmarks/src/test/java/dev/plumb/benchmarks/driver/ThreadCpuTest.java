package dev.plumb.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void threadsOfOnePoolFormOneGroup() {
    assertEquals("grpc-default-ex", ThreadCpu.group("grpc-default-ex"));
    assertEquals("epollEventLoopG", ThreadCpu.group("epollEventLoopG"));
    assertEquals("plumb-tcp", ThreadCpu.group("plumb-tcp-2"));
    assertEquals("C2 CompilerThre", ThreadCpu.group("C2 CompilerThre"));
    assertEquals("pool-1-thread", ThreadCpu.group("pool-1-thread-3"));
    assertEquals("GC Thread", ThreadCpu.group("GC Thread#1"));
    assertEquals("VM Thread", ThreadCpu.group("VM Thread"));
  }

  @Test
  void differenceKeepsWhatWasUsed() {
    assertEquals(Map.of("a", 5L),
        ThreadCpu.difference(Map.of("a", 15L, "b", 3L), Map.of("a", 10L, "b", 3L)));
  }

  @Test
  void readsThisProcess() {
    assertFalse(ThreadCpu.read(ProcessHandle.current().pid()).isEmpty());
  }
}
