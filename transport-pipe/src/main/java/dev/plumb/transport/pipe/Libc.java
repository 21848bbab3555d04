package dev.plumb.transport.pipe;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few calls of Linux's C library that a {@code stdio:} child needs and Java 17 does not
 * offer (the FFM API is not final there), through JNA. Constants are Linux's, the same on
 * every architecture the JDK runs on. Every call throws {@link LastErrorException} (with
 * errno) when it fails.
 */
interface Libc extends Library {
  int F_SETFD = 2;
  int FD_CLOEXEC = 1;
  int F_DUPFD_CLOEXEC = 1030;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int PR_SET_PDEATHSIG = 1;
  int SIGTERM = 15;

  int fcntl(int fd, int command, int argument) throws LastErrorException;

  int dup2(int from, int to) throws LastErrorException;

  int open(String path, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

  int getppid();

  /** Linux's C library, or why there is none to use here. */
  final class Loaded {
    final Libc libc;
    final String unavailable;

    private Loaded(Libc libc, String unavailable) {
      this.libc = libc;
      this.unavailable = unavailable;
    }

    static Loaded load() {
      if (!Platform.isLinux()) {
        return new Loaded(null, "not Linux (" + System.getProperty("os.name") + ")");
      }
      try {
        return new Loaded(Native.load(Platform.C_LIBRARY_NAME, Libc.class), null);
      } catch (LinkageError | RuntimeException e) {
        // JNA unpacks its native part into a temporary directory; that can fail (noexec).
        return new Loaded(null, "JNA cannot load the C library: " + e);
      }
    }
  }
}
