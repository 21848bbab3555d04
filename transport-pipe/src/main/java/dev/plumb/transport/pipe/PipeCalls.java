package dev.plumb.transport.pipe;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * Linux's calls on a pipe that Java 17 does not offer, mapped directly by JNA (no proxy, no
 * allocation per call): the bytes queued ({@code ioctl(FIONREAD)}) and the capacity
 * ({@code fcntl(F_GETPIPE_SZ)}, {@code fcntl(F_SETPIPE_SZ)}). Each call throws
 * {@link LastErrorException} (with errno) when it fails, and a {@link LinkageError} the first
 * time if JNA cannot load (it unpacks its native part into a temporary directory, and that can
 * fail).
 */
final class PipeCalls {
  private PipeCalls() {}

  /** Whether this platform has them with these numbers: Linux on x86 or ARM. */
  static boolean available() {
    return Platform.isLinux() && (Platform.isIntel() || Platform.isARM());
  }

  /** The bytes queued in the pipe; {@code into[0]}: a buffer of the caller's own. */
  static int queued(int fd, int[] into) {
    Bound.ioctl(fd, Bound.FIONREAD, into);
    return into[0];
  }

  /** The pipe's capacity in bytes. */
  static int capacity(int fd) {
    return Bound.fcntl(fd, Bound.F_GETPIPE_SZ, 0);
  }

  /**
   * Asks for a capacity of at least {@code bytes}; returns the one the kernel set (a power of
   * two pages). Refused with EPERM above {@code /proc/sys/fs/pipe-max-size}, or once the user's
   * pipes hold more than {@code /proc/sys/fs/pipe-user-pages-soft} pages, unless privileged.
   */
  static int resize(int fd, int bytes) {
    return Bound.fcntl(fd, Bound.F_SETPIPE_SZ, bytes);
  }

  /** The native calls, bound when first used, so that {@link #available} binds nothing. */
  private static final class Bound {
    /** The same on x86 and ARM. */
    static final NativeLong FIONREAD = new NativeLong(0x541B);
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;

    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    private Bound() {}

    static native int ioctl(int fd, NativeLong request, int[] value) throws LastErrorException;

    static native int fcntl(int fd, int command, int argument) throws LastErrorException;
  }
}
