package dev.plumb.transport.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import dev.plumb.rpc.kit.LinkRoom;
import java.io.IOException;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many bytes a connected Unix stream socket takes without blocking, on Linux.
 *
 * <p>Linux cuts a stream write into buffers (skbs) of at most half the send buffer
 * ({@code SO_SNDBUF}) less 64 bytes, and at most about 36 KiB; each buffer stays charged to the
 * sender, at its true size (the data rounded up to the allocator's size class, plus about
 * 600 bytes of metadata: less than twice the data plus 1 KiB), until the peer reads it.
 * {@code ioctl(SIOCOUTQ)} reports that charge. Allocating a buffer waits while the charge is at
 * or above the send buffer. So a write of at most half the free charge less 1 KiB, and at most
 * 32 KiB, is one buffer whose allocation does not wait, and whose true size still fits in the
 * send buffer (were a kernel to count it before allocating).
 *
 * <p>{@code SO_SNDBUF} is read once: nothing here changes it. Off Linux, on an architecture
 * whose ioctl numbers differ, or when a call fails, the answer is {@link LinkRoom#UNKNOWN}.
 */
final class UnixSendRoom implements LinkRoom {
  private static final Logger log = LoggerFactory.getLogger(UnixSendRoom.class);
  /** Bounds a buffer's metadata and its rounding, above twice its data. */
  private static final long BUFFER_OVERHEAD = 1024;
  /** Below the largest buffer Linux makes of one write (about 36 KiB). */
  private static final long ONE_BUFFER = 32 * 1024;

  private final AFSocket<?> socket;
  private final int fd;
  private final long sendBuffer;
  /**
   * Where each probe's answer lands: only the connection's reader asks, under its output lock
   * ({@link LinkRoom}'s contract), so one buffer serves every probe without a race.
   */
  private final int[] queued = new int[1];

  private UnixSendRoom(AFSocket<?> socket, int fd, long sendBuffer) {
    this.socket = socket;
    this.fd = fd;
    this.sendBuffer = sendBuffer;
  }

  /** The room of {@code socket}'s output, or a room that is never known where Linux's is not. */
  static LinkRoom of(AFSocket<?> socket) {
    if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM())) {
      return NEVER_KNOWN;
    }
    try {
      int fd = FileDescriptorCast.using(socket.getFileDescriptor()).as(Integer.class);
      UnixSendRoom room = new UnixSendRoom(socket, fd, socket.getSendBufferSize());
      Ioctl.queued(fd, new int[1]);  // Fails here, once, if it cannot work at all.
      return room;
    } catch (IOException | LinkageError | RuntimeException e) {
      // A LastErrorException (errno), or a LinkageError: JNA unpacks its native part into a
      // temporary directory, and that can fail.
      log.debug("the send queue of a unix: socket cannot be probed; its reader hands every"
          + " write to its writer thread: {}", e.toString());
      return NEVER_KNOWN;
    }
  }

  @Override
  public long bytesWritableWithoutBlocking() {
    // A closed socket's descriptor number may already name another file. A close that comes
    // after this check can mislead the answer, but then the write fails at once: junixsocket
    // refuses a closed socket's streams.
    if (socket.isClosed()) {
      return UNKNOWN;
    }
    try {
      long free = sendBuffer - Ioctl.queued(fd, queued);
      return Math.max(0, Math.min(free / 2 - BUFFER_OVERHEAD, ONE_BUFFER));
    } catch (LastErrorException e) {
      return UNKNOWN;
    }
  }

  /** {@code ioctl(SIOCOUTQ)}, mapped directly by JNA: a call costs about a microsecond. */
  private static final class Ioctl {
    /** {@code SIOCOUTQ}, which is {@code TIOCOUTQ}: the same on x86 and ARM. */
    private static final NativeLong SIOCOUTQ = new NativeLong(0x5411);

    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    private Ioctl() {}

    /** {@code into[0]}: a buffer of the caller's own, so a probe allocates nothing. */
    static int queued(int fd, int[] into) {
      ioctl(fd, SIOCOUTQ, into);
      return into[0];
    }

    private static native int ioctl(int fd, NativeLong request, int[] value)
        throws LastErrorException;
  }
}
