package dev.plumb.rpc.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How a transport whose endpoints name hosts ({@code tcp:}) finds their IP addresses. Called
 * off gRPC's threads: it may block.
 */
@FunctionalInterface
interface HostLookup {
  /**
   * Every address of {@code host}, in the order to try them.
   *
   * @throws UnknownHostException if it has none
   */
  List<InetAddress> addressesOf(String host) throws UnknownHostException;

  /**
   * The JVM's own lookup ({@link InetAddress#getAllByName}): the system's resolver and hosts
   * file (or {@code -Djdk.net.hosts.file}), with the JVM's cache of answers
   * ({@code networkaddress.cache.ttl}, 30 s by default).
   */
  static HostLookup system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
