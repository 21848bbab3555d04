package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.rpc.kit.LinkRoom;
import dev.plumb.rpc.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** This process's ends of a real child's stdin and stdout, found from outside, sized. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChildPipeEndsTest {
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
    OptionalInt fd = ChildPipeEnds.stdin(child.pid());
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
    assertFalse(ChildPipeEnds.stdin(child.pid()).isPresent());
  }

  /**
   * The sizes asked through the ends found here are what the child sees on its descriptors 0
   * and 1: so they are its stdin's and stdout's pipes, not its stderr's.
   */
  @Test
  void theChildSeesTheSizesAskedForItsStdinAndStdout() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "found through /proc");
    assumeTrue(PipeCalls.available(), "F_SETPIPE_SZ is Linux's");
    child = new ProcessBuilder(ChildJvm.command(PipeCapacityMain.class)).start();
    PipeSize.request(ChildPipeEnds.stdin(child.pid()), 256 << 10, child.pid(), "stdin");
    PipeSize.request(ChildPipeEnds.stdout(child.pid()), 128 << 10, child.pid(), "stdout");

    OutputStream stdin = child.getOutputStream();
    stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    String seen = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8)).readLine();
    assertEquals((256 << 10) + " " + (128 << 10), seen);
  }
}
