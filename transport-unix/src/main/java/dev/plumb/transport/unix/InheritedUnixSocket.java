package dev.plumb.transport.unix;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * An inherited descriptor as junixsocket's server socket, if it is a Unix domain stream socket
 * (junixsocket asks the kernel for its family and state), and how it is closed. The socket and
 * its file are shared with whoever passed them (systemd keeps both, to start the service again
 * on the next connection), so closing must end this process's use only: the file stays, and
 * the socket keeps listening. junixsocket's own close shuts the socket down (so that a blocked
 * accept returns), which would stop it listening for every holder; so an inherited socket's
 * accept waits at most {@link #ACCEPT_POLL_MILLIS} at a time, and its descriptor is closed
 * alone, without a shutdown, once its accepting thread has stopped.
 */
final class InheritedUnixSocket {
  /** How long an inherited socket's accept waits before it looks whether it should stop. */
  static final int ACCEPT_POLL_MILLIS = 200;

  private InheritedUnixSocket() {}

  /**
   * The server socket of {@code fd}; empty if it is not a Unix domain stream socket (another
   * family, a datagram socket, not a socket, not open).
   *
   * @throws IllegalArgumentException if it is a Unix domain stream socket that cannot accept:
   *     a connection rather than a listening socket
   */
  static Optional<AFUNIXServerSocket> of(int fd) {
    FileDescriptorCast cast;
    try {
      cast = FileDescriptorCast.unsafeUsing(fd);
      if (!cast.isAvailable(AFUNIXServerSocket.class)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      // The cast leaves the descriptor alone when the object is collected; close() closes it.
      AFUNIXServerSocket server = cast.as(AFUNIXServerSocket.class);
      server.setDeleteOnClose(false);
      server.setShutdownOnClose(false);
      return Optional.of(server);
    } catch (IOException e) {
      throw new IllegalArgumentException("descriptor " + fd + " is a Unix domain socket that"
          + " cannot be served as a listening one: " + e.getMessage(), e);
    }
  }

  /**
   * Closes {@code server}'s descriptor and nothing else: no shutdown, no file removed. Called
   * by its accepting thread once that has stopped, so no accept is in progress on it.
   */
  static void closeLeavingItListening(AFUNIXServerSocket server) {
    try (FileInputStream descriptor = new FileInputStream(server.getFileDescriptor())) {
      // Closing the stream closes the descriptor it was made of: close(2) alone.
    } catch (IOException e) {
      // Closed already; nothing left to free.
    }
  }
}
