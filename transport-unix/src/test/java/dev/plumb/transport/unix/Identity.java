package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this test process is, read independently of the transport: from /proc/self's owner. */
public final class Identity {
  private Identity() {}

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
