package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.spi.Connection;
import io.grpc.Grpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this test process is, read independently of the transport: from /proc/self's owner. */
public final class Identity {
  private Identity() {}

  /**
   * What a link over a Unix socket file tells each end: both see this process's credentials
   * (client and server are this JVM); the listening end is named by its address, which starts
   * with {@code addressPrefix}, and the connecting end by its pid.
   */
  public static void assertSocketFilePeers(Connection client, Connection server,
      String addressPrefix) {
    PeerCredentials self = ofThisProcess();
    assertEquals(self, server.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    assertEquals(self, client.attributes().get(PlumbAttributes.PEER_CREDENTIALS));
    Object named = server.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
    assertEquals(named, client.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    assertTrue(named.toString().startsWith(addressPrefix), named.toString());
    assertEquals(client.attributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR),
        server.attributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }

  public static PeerCredentials ofThisProcess() {
    try {
      Path self = Path.of("/proc/self");
      int uid = (Integer) Files.getAttribute(self, "unix:uid");
      int gid = (Integer) Files.getAttribute(self, "unix:gid");
      return PeerCredentials.of(ProcessHandle.current().pid(), uid, gid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean isRoot() {
    return ofThisProcess().uid().getAsLong() == 0;
  }
}
