package dev.plumb.benchmarks.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Grows the raw pipe row's two pipes to the size Plumb's {@code pipe:} asks for its own by
 * default ({@code pipeSize}, 1 MiB), so that the raw row and Plumb's compare over the same
 * medium. The child asks for both, on its descriptors 0 and 1, before it reads anything; where
 * Linux refuses, the pipes keep their size and a line on stderr says so.
 */
final class RawPipeSize {
  private static final int BYTES = 1 << 20;
  private static final int F_SETPIPE_SZ = 1031;

  private RawPipeSize() {}

  static void growStdinAndStdout() {
    if (!Platform.isLinux()) {
      return;
    }
    try {
      Bound.fcntl(0, F_SETPIPE_SZ, BYTES);
      Bound.fcntl(1, F_SETPIPE_SZ, BYTES);
    } catch (LinkageError | RuntimeException e) {
      System.err.println("RawEchoMain: the pipes keep their size: " + e);
    }
  }

  /** Bound when first used. */
  private static final class Bound {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    private Bound() {}

    static native int fcntl(int fd, int command, int argument) throws LastErrorException;
  }
}
