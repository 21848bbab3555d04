package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import dev.plumb.rpc.kit.LinkRoom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The room of a real pipe, written without blocking ({@code O_NONBLOCK}), so that a write the
 * room promised but the pipe refuses shows as a short write instead of a hang.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PipeRoomTest {
  private static final int F_SETFL = 4;
  private static final int F_GETPIPE_SZ = 1032;
  private static final int O_NONBLOCK = 04000;

  /** The calls a test needs to make a pipe and move bytes through it. */
  interface PipeCalls extends Library {
    int pipe(int[] fds) throws LastErrorException;

    NativeLong write(int fd, byte[] bytes, NativeLong count);

    NativeLong read(int fd, byte[] bytes, NativeLong count) throws LastErrorException;

    int fcntl(int fd, int command, int argument) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private PipeCalls calls;
  private int readEnd = -1;
  private int writeEnd = -1;
  private LinkRoom room;
  private int capacity;

  @BeforeEach
  void openPipe() {
    assumeTrue(Platform.isLinux(), "the probe is Linux's");
    calls = Native.load(Platform.C_LIBRARY_NAME, PipeCalls.class);
    int[] fds = new int[2];
    calls.pipe(fds);
    readEnd = fds[0];
    writeEnd = fds[1];
    calls.fcntl(writeEnd, F_SETFL, O_NONBLOCK);
    capacity = calls.fcntl(writeEnd, F_GETPIPE_SZ, 0);
    room = PipeRoom.of(writeEnd);
  }

  @AfterEach
  void closePipe() {
    if (readEnd >= 0) {
      calls.close(readEnd);
      calls.close(writeEnd);
    }
  }

  @Test
  void anEmptyPipeTakesItsCapacityInOneWrite() {
    assertEquals(capacity, room.bytesWritableWithoutBlocking());
    assertEquals(capacity, write(capacity));
    assertEquals(0, room.bytesWritableWithoutBlocking());
    assertEquals(-1, write(1), "the pipe should be full");
  }

  /**
   * Writes that leave half-empty pages fill every slot with half the capacity queued: the bytes
   * queued cannot tell the room, so a pipe that holds anything reports none.
   */
  @Test
  void aPipeFullOfHalfEmptyPagesReportsNoRoom() {
    int page = capacity / 16;  // A pipe has 16 page-sized slots unless resized.
    int written = 0;
    while (write(page / 2 + 1) > 0) {
      written += page / 2 + 1;
    }
    assertTrue(written < capacity * 3 / 4, "only " + written + " of " + capacity + " bytes fit");
    assertEquals(0, room.bytesWritableWithoutBlocking());
  }

  @Test
  void aPipeHoldingOneByteReportsNoRoomUntilItIsRead() {
    assertEquals(1, write(1));
    assertEquals(0, room.bytesWritableWithoutBlocking());
    assertEquals(1, calls.read(readEnd, new byte[16], new NativeLong(16)).intValue());
    assertEquals(capacity, room.bytesWritableWithoutBlocking());
  }

  @Test
  void aDescriptorThatIsNoPipeIsNeverKnown() {
    assertEquals(LinkRoom.UNKNOWN, PipeRoom.of(-1).bytesWritableWithoutBlocking());
  }

  /** Bytes written, or -1 if the pipe took none (EAGAIN). */
  private long write(int count) {
    return calls.write(writeEnd, new byte[count], new NativeLong(count)).longValue();
  }
}
