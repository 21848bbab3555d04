package dev.plumb.transport.tcp;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What an inherited descriptor is, asked of the kernel through Netty's native socket calls
 * ({@code getsockopt}, {@code getsockname}): a TCP socket that listens, and where. Needs the
 * epoll transport's native library, which the caller checks is loaded.
 */
final class InheritedTcpSocket {
  // Linux's values on x86, ARM and RISC-V (the generic ABI), where Netty's epoll runs.
  private static final int SOL_SOCKET = 1;
  private static final int SO_TYPE = 3;
  private static final int SO_ACCEPTCONN = 30;
  private static final int SO_DOMAIN = 39;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCK_STREAM = 1;

  private InheritedTcpSocket() {}

  /**
   * The address {@code fd} is bound to, if it is an IPv4 or IPv6 stream socket; empty for
   * anything else (another family, not a socket, not open).
   *
   * @throws IllegalArgumentException if it is a TCP socket that does not listen
   */
  static Optional<InetSocketAddress> boundAddress(int fd) {
    // Not closed: the descriptor stays the inheritor's, and Netty's Socket has no cleaner.
    Socket socket;
    try {
      socket = new Socket(fd);
      int domain = socket.getIntOpt(SOL_SOCKET, SO_DOMAIN);
      if ((domain != AF_INET && domain != AF_INET6)
          || socket.getIntOpt(SOL_SOCKET, SO_TYPE) != SOCK_STREAM) {
        return Optional.empty();
      }
      if (socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) == 0) {
        throw new IllegalArgumentException("descriptor " + fd + " is a TCP socket that does not"
            + " listen (a connection, or a socket bound without listen())");
      }
      return Optional.of(socket.localAddress());
    } catch (IOException | ChannelException e) {
      // Not a socket ("Socket operation on non-socket"), or not open.
      return Optional.empty();
    }
  }
}
