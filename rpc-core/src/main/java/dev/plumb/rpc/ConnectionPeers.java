package dev.plumb.rpc;

import io.grpc.Attributes;
import io.grpc.Grpc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a connection's peer is, for {@link PlumbServerBuilder#maxConnectionsPerPeer}: the user
 * where the transport reads the peer's credentials from the kernel ({@code unix:}, {@code shm:}:
 * {@code uid 1000}), else the remote IP address ({@code tcp:}: {@code 10.0.0.7}, every port of
 * a host together). Null where the transport tells neither: such a peer counts only towards
 * {@link PlumbServerBuilder#maxConnections}.
 */
final class ConnectionPeers {
  private ConnectionPeers() {}

  static String of(Attributes attributes) {
    PeerCredentials credentials = attributes.get(PlumbAttributes.PEER_CREDENTIALS);
    if (credentials != null && credentials.uid().isPresent()) {
      return "uid " + credentials.uid().getAsLong();
    }
    SocketAddress remote = attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress) {
      InetAddress ip = ((InetSocketAddress) remote).getAddress();
      if (ip != null) {
        return ip.getHostAddress();
      }
    }
    return null;
  }
}
