package dev.plumb.transport.tcp;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcp://replicas:PORT}, where the name has several addresses: every address is a server
 * of round_robin's, and when one server dies the channel looks the name up again and takes in
 * a server the name has gained meanwhile. The client is a JVM of its own whose lookups read a
 * hosts file that the test rewrites, uncached, so nothing but the JVM's own resolver is between
 * the name and the addresses.
 */
@Timeout(120)
class NameReResolutionTest {
  @TempDir
  Path directory;

  /** Calls {@code target} until each of {@code pids} has answered (see {@link ServerAnswers}). */
  static void awaitAnswersFrom(ReplicaClient client, String target, Set<Long> pids)
      throws Exception {
    ServerAnswers.awaitEachOf(pids, () -> ReplicaClient.pid(client.call(target)));
  }

  @Test
  void aServerTheNameGainsIsCalledOnceAFailureHasTheNameLookedUpAgain() throws Exception {
    try (ReplicaServers first = ReplicaServers.start("tcp://127.0.0.1:0")) {
      int port = first.port(0);
      // The others on the same port: one name, one port, as a DNS name of replicas has.
      try (ReplicaServers others = ReplicaServers.start("tcp://127.0.0.2:" + port,
          "tcp://127.0.0.3:" + port)) {
        HostsFile hosts = new HostsFile(directory);
        hosts.set("replicas", "127.0.0.1", "127.0.0.2");
        String target = "tcp://replicas:" + port;
        try (ReplicaClient client = ReplicaClient.start("plumb", hosts.path(), List.of(),
            entry -> false)) {
          long a = first.pid(0);
          long b = others.pid(0);
          long c = others.pid(1);
          awaitAnswersFrom(client, target, Set.of(a, b));
          // The name gains 127.0.0.3; the client learns of it only when it looks again, which
          // gRPC asks for when a connection is lost: here, b's, killed.
          hosts.set("replicas", "127.0.0.1", "127.0.0.2", "127.0.0.3");
          others.get(0).kill();
          awaitAnswersFrom(client, target, Set.of(a, c));
        }
      }
    }
  }
}
