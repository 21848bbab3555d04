package dev.plumb.shared;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * Linux's anonymous, sealable memory files ({@code memfd_create(2)}, {@code fcntl(2)} file
 * seals) through JNA: Java 17 has no call for either, and its FFM API is not final there.
 * Constants are Linux's, the same on every architecture the JDK runs on. A memfd has no name in
 * any file system (nothing appears in {@code /dev/shm}); the kernel frees its memory when the
 * last descriptor and mapping are gone.
 */
final class Memfd {
  /** What {@code /proc/<pid>/maps} shows for the mappings: {@code /memfd:plumb-shared}. */
  static final String NAME = "plumb-shared";

  static final int SEAL_SEAL = 0x1;
  static final int SEAL_SHRINK = 0x2;
  static final int SEAL_GROW = 0x4;
  static final int SEAL_WRITE = 0x8;
  /** The seals of a segment whose bytes and size can change no more, nor its seals. */
  static final int SEALED = SEAL_SEAL | SEAL_SHRINK | SEAL_GROW | SEAL_WRITE;

  private static final int MFD_CLOEXEC = 0x1;
  private static final int MFD_ALLOW_SEALING = 0x2;
  private static final int F_ADD_SEALS = 1033;
  private static final int F_GET_SEALS = 1034;

  /** The C library's calls; each throws {@link LastErrorException} (with errno) on failure. */
  interface Libc extends Library {
    int memfd_create(String name, int flags) throws LastErrorException;

    /** {@code off_t} is 64 bits on the 64-bit Linux systems Java 17 runs on. */
    int ftruncate(int fd, long length) throws LastErrorException;

    int fcntl(int fd, int command, int argument) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final Loaded LOADED = Loaded.load();

  private Memfd() {}

  /**
   * A new memfd of {@code length} bytes (zeros, allocated as they are written), open
   * read-write, close-on-exec, that accepts seals.
   *
   * @throws UnsupportedOperationException where this system has no memfd
   */
  static int create(long length) throws IOException {
    Libc libc = libc();
    int fd;
    try {
      fd = libc.memfd_create(NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    } catch (UnsatisfiedLinkError e) {
      throw unsupported("the C library has no memfd_create (glibc 2.27 or later has): " + e);
    } catch (LastErrorException e) {
      throw new IOException("memfd_create failed: " + e.getMessage(), e);
    }
    try {
      libc.ftruncate(fd, length);
      return fd;
    } catch (LastErrorException e) {
      close(fd);
      throw new IOException("cannot size a shared buffer to " + length + " bytes: "
          + e.getMessage(), e);
    }
  }

  /** Adds every seal of {@link #SEALED}: from now on no one can change the bytes or size. */
  static void seal(int fd) throws IOException {
    try {
      libc().fcntl(fd, F_ADD_SEALS, SEALED);
    } catch (LastErrorException e) {
      // EBUSY: a writable shared mapping exists; the write API hands out none.
      throw new IOException("cannot seal a shared buffer: " + e.getMessage(), e);
    }
  }

  /** The seals of {@code fd}: a bit set of {@code SEAL_*}. */
  static int seals(int fd) throws IOException {
    try {
      return libc().fcntl(fd, F_GET_SEALS, 0);
    } catch (LastErrorException e) {
      throw new IOException("cannot read the seals of a shared buffer: " + e.getMessage(), e);
    }
  }

  /** Closes a descriptor this class returned; a failure is of no use to the caller. */
  static void close(int fd) {
    try {
      libc().close(fd);
    } catch (LastErrorException e) {
      // EBADF would be a bug; EINTR/EIO still release the descriptor on Linux.
    }
  }

  private static Libc libc() {
    if (LOADED.libc == null) {
      throw unsupported(LOADED.unavailable);
    }
    return LOADED.libc;
  }

  private static UnsupportedOperationException unsupported(String reason) {
    return new UnsupportedOperationException("shared buffers need Linux's memfd_create and"
        + " file seals, which are unavailable here: " + reason);
  }

  /** Linux's C library, or why there is none to use here. */
  private static final class Loaded {
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
