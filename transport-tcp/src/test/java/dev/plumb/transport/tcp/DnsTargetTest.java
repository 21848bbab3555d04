package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names looked up by a client JVM of its own, whose lookups read a hosts file: gRPC's own DNS
 * resolver ({@code dns:///replicas:PORT}) with its addresses carried by {@code tcp:}, from
 * {@code PlumbChannelBuilder} and, with {@code -Dplumb.ipTransport=tcp}, from
 * {@code Grpc.newChannelBuilder}, with no HTTP/2 transport on the class path (an application of
 * Plumb's) and with grpc-netty there (the key decides, not the class path); and a name without
 * addresses, which fails UNAVAILABLE naming the host.
 */
@Timeout(120)
class DnsTargetTest {
  /** grpc-java's HTTP/2 transports, which grpc-interop-testing brings to the tests. */
  private static final Predicate<String> HTTP2_TRANSPORTS =
      entry -> entry.matches(".*/grpc-(netty|netty-shaded|okhttp)-[^/]*\\.jar");

  @TempDir
  static Path directory;
  private static ReplicaServers first;
  private static ReplicaServers second;
  private static int port;
  private static HostsFile hosts;

  @BeforeAll
  static void startTwoServersBehindOneName() throws Exception {
    first = ReplicaServers.start("tcp://127.0.0.1:0");
    port = first.port(0);
    second = ReplicaServers.start("tcp://127.0.0.2:" + port);
    hosts = new HostsFile(directory);
    hosts.set("replicas", "127.0.0.1", "127.0.0.2");
  }

  @AfterAll
  static void stopServers() {
    for (ReplicaServers servers : new ReplicaServers[] {second, first}) {
      if (servers != null) {
        servers.close();
      }
    }
  }

  private static Set<Long> pids() {
    return Set.of(first.pid(0), second.pid(0));
  }

  @Test
  void plumbChannelBuilderCarriesTheAddressesOfGrpcsDnsResolver() throws Exception {
    try (ReplicaClient client = ReplicaClient.start("plumb", hosts.path(), List.of(),
        entry -> false)) {
      NameReResolutionTest.awaitAnswersFrom(client, "dns:///replicas:" + port,
          pids());
    }
  }

  @Test
  void grpcNewChannelBuilderDoesSoWhenTheConfigurationNamesTheTransport() throws Exception {
    try (ReplicaClient client = ReplicaClient.start("grpc", hosts.path(),
        List.of("-Dplumb.ipTransport=tcp"), HTTP2_TRANSPORTS)) {
      NameReResolutionTest.awaitAnswersFrom(client, "dns:///replicas:" + port,
          pids());
      // And a Plumb target of the name, through gRPC's registry too.
      NameReResolutionTest.awaitAnswersFrom(client, "tcp:///replicas:" + port,
          pids());
    }
  }

  @Test
  void theConfigurationDecidesWithGrpcNettyOnTheClassPathToo() throws Exception {
    try (ReplicaClient client = ReplicaClient.start("grpc", hosts.path(),
        List.of("-Dplumb.ipTransport=tcp"), entry -> false)) {
      NameReResolutionTest.awaitAnswersFrom(client, "dns:///replicas:" + port,
          pids());
    }
  }

  @Test
  void aNameWithoutAddressesFailsUnavailableNamingTheHost() throws Exception {
    try (ReplicaClient client = ReplicaClient.start("plumb", hosts.path(), List.of(),
        entry -> false)) {
      String answer = client.call("tcp://nothing.invalid:" + port);
      assertTrue(answer.startsWith("FAILED UNAVAILABLE tcp://nothing.invalid:" + port
          + ": no address for the host nothing.invalid ("), answer);
    }
  }
}
