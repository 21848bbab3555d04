package dev.plumb.transport.pipe;

import com.sun.jna.LastErrorException;
import dev.plumb.rpc.kit.LinkRoom;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's streams of a {@code stdio:} child, moved off descriptors 0 and 1, where
 * everything else in the process can reach them: a thread dump (SIGQUIT), {@code -Xlog}, a
 * console appender holding the old {@code System.out}, a subprocess started with
 * {@code inheritIO}, native code. Each is copied to a private descriptor that is closed on exec
 * (so no grandchild inherits it), descriptor 1 is pointed at stderr and descriptor 0 at
 * {@code /dev/null}, at the OS level. Linux only: Java opens the private descriptors again
 * through {@code /proc/self/fd}, which works for pipes (what a {@code pipe:} parent gives its
 * child), not for sockets.
 */
final class PrivateStdio {
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  /** The lowest descriptor a private copy may take: above stdin, stdout and stderr. */
  private static final int FIRST_PRIVATE = 3;

  final InputStream in;
  final OutputStream out;
  /** How much {@link #out} takes without blocking, if this process alone writes to it. */
  final LinkRoom outRoom;

  private PrivateStdio(InputStream in, OutputStream out, LinkRoom outRoom) {
    this.in = in;
    this.out = out;
    this.outRoom = outRoom;
  }

  /**
   * Descriptors 0 and 1 as they are, shared with the rest of the process: whatever else writes
   * to descriptor 1 would make a probe of its room wrong, so its room is never known.
   */
  static PrivateStdio shared() {
    return new PrivateStdio(new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out), LinkRoom.NEVER_KNOWN);
  }

  /** The private descriptors cannot be had here; nothing has changed. */
  static final class Unavailable extends IOException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Moves the protocol to private descriptors. Opening a pipe by its /proc name waits until
   * its other end is open: the parent holds it, and a parent that died before this is noticed
   * by {@link ParentWatch}, started earlier, which ends the process.
   *
   * @throws Unavailable if they cannot be opened (stdin or stdout is not a pipe): nothing has
   *     changed then
   * @throws IOException if descriptors 0 and 1 cannot be pointed elsewhere after that
   */
  static PrivateStdio take(Libc libc) throws IOException {
    int inCopy = privateCopy(libc, STDIN);
    int outCopy;
    try {
      outCopy = privateCopy(libc, STDOUT);
    } catch (Unavailable e) {
      libc.close(inCopy);
      throw e;
    }
    FileInputStream in = null;
    FileOutputStream out = null;
    List<Integer> outOpened;
    try {
      in = new FileInputStream(procPath(inCopy).toFile());
      // Appending: harmless on a pipe, and right if stdout was a file.
      out = new FileOutputStream(procPath(outCopy).toFile(), true);
      // Java opened them without close-on-exec; they are the private copies from now on.
      closeOnExec(libc, inCopy);
      outOpened = closeOnExec(libc, outCopy);
    } catch (IOException | LastErrorException e) {
      closeQuietly(in);
      closeQuietly(out);
      throw new Unavailable("cannot open stdin and stdout again through /proc ("
          + e.getMessage() + "); are they pipes?", e);
    } finally {
      libc.close(inCopy);
      libc.close(outCopy);
    }
    try {
      int devNull = libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC);
      libc.dup2(devNull, STDIN);
      libc.close(devNull);
      libc.dup2(STDERR, STDOUT);
    } catch (LastErrorException e) {
      throw new IOException("cannot point descriptors 0 and 1 away from the protocol: " + e, e);
    }
    // One descriptor on stdout's pipe besides the copy closed above: the one Java opened,
    // which only the connection writes to from now on (descriptor 1 points at stderr).
    LinkRoom outRoom = outOpened.size() == 1 ? PipeRoom.of(outOpened.get(0))
        : LinkRoom.NEVER_KNOWN;
    return new PrivateStdio(in, out, outRoom);
  }

  private static int privateCopy(Libc libc, int fd) throws Unavailable {
    try {
      return libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, FIRST_PRIVATE);
    } catch (LastErrorException e) {
      throw new Unavailable("cannot copy descriptor " + fd + ": " + e.getMessage(), e);
    }
  }

  private static Path procPath(int fd) {
    return Paths.get("/proc/self/fd", Integer.toString(fd));
  }

  /**
   * Marks close-on-exec every descriptor above 2, but {@code copy} itself, that is open on
   * what {@code copy} is open on (the pipe {@code pipe:[INODE]}): the one Java just opened.
   * Java gives no way to learn a stream's descriptor without opening its internals. Returns
   * the descriptors it marked.
   */
  private static List<Integer> closeOnExec(Libc libc, int copy) throws IOException {
    Path target = Files.readSymbolicLink(procPath(copy));
    List<Integer> marked = new ArrayList<>();
    try (DirectoryStream<Path> open = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
      for (Path entry : open) {
        int fd = Integer.parseInt(entry.getFileName().toString());
        if (fd >= FIRST_PRIVATE && fd != copy && sameTarget(entry, target)) {
          libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
          marked.add(fd);
        }
      }
    }
    return marked;
  }

  private static boolean sameTarget(Path entry, Path target) {
    try {
      return Files.readSymbolicLink(entry).equals(target);
    } catch (IOException e) {
      return false;  // Closed meanwhile (the directory stream's own descriptor, say).
    }
  }

  private static void closeQuietly(Closeable stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close();
    } catch (IOException e) {
      // Never used; nothing to save.
    }
  }
}
