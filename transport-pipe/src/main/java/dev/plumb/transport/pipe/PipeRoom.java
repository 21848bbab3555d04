package dev.plumb.transport.pipe;

import com.sun.jna.LastErrorException;
import dev.plumb.rpc.kit.LinkRoom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many bytes a pipe's write end takes without blocking, on Linux: its capacity if it is
 * empty, else none.
 *
 * <p>A Linux pipe is a ring of page-sized slots, {@code fcntl(F_GETPIPE_SZ)} bytes in all. A
 * write fills new pages (a small one may first join the last page, if it fits there), and waits
 * when every slot is taken. A slot is taken until the reader has read all of it, however few
 * bytes it holds: writes that do not fill their last page leave such slots, so a pipe can be
 * full with far less than its capacity queued, and the bytes queued
 * ({@code ioctl(FIONREAD)}) cannot tell how many slots are free. Only an empty pipe has them
 * all free, and then a write of up to the capacity takes at most one slot per page. That is the
 * case that matters: a response written after the peer read everything it was sent.
 *
 * <p>The capacity is read once, so the parent sizes its pipes before ({@link PipeSize}); one
 * grown after that only makes the answer low, never too high. Off Linux, on an architecture
 * whose ioctl numbers differ, or when a call fails, the answer is {@link LinkRoom#UNKNOWN}.
 */
final class PipeRoom implements LinkRoom {
  private static final Logger log = LoggerFactory.getLogger(PipeRoom.class);

  private final int fd;
  private final long capacity;
  /**
   * Where each probe's answer lands: only the connection's reader asks, under its output lock
   * ({@link LinkRoom}'s contract), so one buffer serves every probe without a race.
   */
  private final int[] queued = new int[1];

  private PipeRoom(int fd, long capacity) {
    this.fd = fd;
    this.capacity = capacity;
  }

  /**
   * The room of the pipe that {@code fd} writes to, which only its caller writes to while it
   * asks; or a room that is never known where Linux's is not. {@code fd} must stay open while
   * the room is asked: closing it makes the number free for another file.
   */
  static LinkRoom of(int fd) {
    if (!PipeCalls.available()) {
      return NEVER_KNOWN;
    }
    try {
      PipeRoom room = new PipeRoom(fd, PipeCalls.capacity(fd));
      PipeCalls.queued(fd, new int[1]);  // Fails here, once, if it cannot work at all.
      return room;
    } catch (LinkageError | RuntimeException e) {
      // A LastErrorException (errno), or a LinkageError (JNA cannot load).
      log.debug("pipe {} cannot be probed; the reader hands every write to the writer thread: {}",
          fd, e.toString());
      return NEVER_KNOWN;
    }
  }

  @Override
  public long bytesWritableWithoutBlocking() {
    try {
      return PipeCalls.queued(fd, queued) == 0 ? capacity : 0;
    } catch (LastErrorException e) {
      return UNKNOWN;
    }
  }
}
