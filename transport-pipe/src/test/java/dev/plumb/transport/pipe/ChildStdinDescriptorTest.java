package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.rpc.kit.LinkRoom;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The write end of a real child's stdin, found from outside, and its room. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChildStdinDescriptorTest {
  private Process child;

  @AfterEach
  void stopChild() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** A child that never reads: a byte written to its stdin stays, and the room is gone. */
  @Test
  void findsTheDescriptorThatTheStdinStreamWritesTo() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "found through /proc");
    child = new ProcessBuilder("sleep", "30").start();
    OptionalInt fd = ChildStdinDescriptor.of(child.pid());
    assertTrue(fd.isPresent());
    LinkRoom room = PipeRoom.of(fd.getAsInt());
    long capacity = room.bytesWritableWithoutBlocking();
    assertTrue(capacity >= 4096, "an empty pipe's room: " + capacity);

    OutputStream stdin = child.getOutputStream();
    stdin.write(1);
    stdin.flush();
    assertEquals(0, room.bytesWritableWithoutBlocking());
  }

  @Test
  void aChildWhoseStdinIsNoPipeHasNone() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "found through /proc");
    child = new ProcessBuilder("sleep", "30").redirectInput(new File("/dev/null")).start();
    assertFalse(ChildStdinDescriptor.of(child.pid()).isPresent());
  }
}
