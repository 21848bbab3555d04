package dev.plumb.rpc.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets that systemd handed this process (socket activation, as
 * {@code sd_listen_fds(3)} reads them): descriptors from 3 on, {@code LISTEN_FDS} of them, meant
 * for the process whose pid is {@code LISTEN_PID}, named by {@code LISTEN_FDNAMES} (colon
 * separated, from {@code FileDescriptorName=}; systemd names them after the socket unit by
 * default). The variables stay set, as Java cannot unset them; {@code LISTEN_PID} tells a
 * child that inherits them that they are not its own.
 */
final class SystemdSockets {
  /** The first descriptor systemd passes ({@code SD_LISTEN_FDS_START}). */
  static final int FIRST_FD = 3;
  /** The name of a socket when systemd gives none, as {@code sd_listen_fds_with_names}. */
  static final String UNNAMED = "unknown";

  /** One descriptor systemd passed, and its name. */
  record Socket(int fd, String name) {}

  private SystemdSockets() {}

  /**
   * The sockets that {@code environment} passes to the process {@code pid}.
   *
   * @throws IllegalArgumentException saying which variable is missing or wrong, and why that
   *     usually happens
   */
  static List<Socket> from(Map<String, String> environment, long pid) {
    String count = environment.get("LISTEN_FDS");
    if (count == null) {
      throw new IllegalArgumentException("LISTEN_FDS is not set, so systemd passed this process"
          + " no socket: start it from a .socket unit (docs/DAEMON.md), or listen on an address"
          + " of its own");
    }
    String owner = environment.get("LISTEN_PID");
    if (owner == null || !owner.equals(Long.toString(pid))) {
      throw new IllegalArgumentException("LISTEN_PID is " + (owner == null ? "not set"
          : "'" + owner + "'") + ", not this process's pid " + pid + ": the sockets were passed"
          + " to another process (a script that starts Java must exec it, not fork it)");
    }
    if (!count.matches("[1-9][0-9]{0,4}")) {
      throw new IllegalArgumentException("LISTEN_FDS is '" + count + "', not a number of"
          + " descriptors from 1 on");
    }
    int n = Integer.parseInt(count);
    String namesVariable = environment.get("LISTEN_FDNAMES");
    List<String> names = namesVariable == null ? null
        : Arrays.asList(namesVariable.split(":", -1));
    if (names != null && names.size() != n) {
      throw new IllegalArgumentException("LISTEN_FDNAMES names " + names.size()
          + " sockets ('" + namesVariable + "'), but LISTEN_FDS says " + n);
    }
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sockets.add(new Socket(FIRST_FD + i, names == null ? UNNAMED : names.get(i)));
    }
    return sockets;
  }
}
