package dev.plumb.transport.unix;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One end of a Unix socket connection, as found under {@code Grpc.TRANSPORT_ATTR_LOCAL_ADDR} and
 * {@code TRANSPORT_ATTR_REMOTE_ADDR}. The listening end is named by its address
 * ({@code unix:///run/app.sock}, {@code unix-abstract:app}); a connecting end has no name of its
 * own (the kernel gives client sockets none), so it is described by its process id instead. Who
 * the peer is, for access decisions, is {@link dev.plumb.rpc.PlumbAttributes#PEER_CREDENTIALS}.
 */
public final class UnixSocketAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  private final String address;
  private final long pid;

  private UnixSocketAddress(String address, long pid) {
    this.address = address;
    this.pid = pid;
  }

  /** A listening socket, by its address, e.g. {@code unix:///run/app.sock}. */
  public static UnixSocketAddress named(String address) {
    return new UnixSocketAddress(Objects.requireNonNull(address), -1);
  }

  /** A connecting socket, which has no name, in process {@code pid} (-1 if unknown). */
  public static UnixSocketAddress unnamed(long pid) {
    return new UnixSocketAddress(null, pid);
  }

  /** The connecting end's pid for messages, {@code ?} if unknown. */
  String pidText() {
    return pid < 0 ? "?" : Long.toString(pid);
  }

  /** The listening socket's address; empty for a connecting end. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof UnixSocketAddress)) {
      return false;
    }
    UnixSocketAddress other = (UnixSocketAddress) o;
    return Objects.equals(address, other.address) && pid == other.pid;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, pid);
  }

  @Override
  public String toString() {
    if (address != null) {
      return address;
    }
    return pid < 0 ? "unix client (unnamed)" : "unix client (pid " + pid + ")";
  }
}
