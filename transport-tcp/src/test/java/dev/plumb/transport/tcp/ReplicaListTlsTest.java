package dev.plumb.transport.tcp;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS, each server of a listed target must show a certificate for its own host, not for
 * the first one's: here one server's certificate names only {@code localhost}, the other's only
 * {@code 127.0.0.2}, and round_robin reaches both.
 */
@Timeout(120)
class ReplicaListTlsTest {
  private final Cleanup cleanup = new Cleanup();
  private ReplicaServers servers;

  @TempDir
  Path directory;

  @AfterEach
  void close() throws Exception {
    try {
      cleanup.close();
    } finally {
      if (servers != null) {
        servers.close();
      }
    }
  }

  /** The command line of a server at {@code listen} whose certificate names only {@code name}. */
  private List<String> server(TestCertificateAuthority ca, String listen, String name) {
    IssuedCertificate.PemFiles files = ca.issueServer(name).writeTo(directory, name);
    return List.of(listen, "--tls=" + files.certificateChain() + "," + files.privateKey());
  }

  @Test
  void eachEndpointIsVerifiedAgainstItsOwnHost() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Plumb replicas CA");
    servers = ReplicaServers.start(List.of(server(ca, "tcp://127.0.0.1:0", "localhost"),
        server(ca, "tcp://127.0.0.2:0", "127.0.0.2")));
    String target = "tcp://localhost:" + servers.port(0) + "," + servers.hostPort(1);
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(target,
        TlsChannelCredentials.newBuilder().trustManager(
            ca.writeCertificate(directory.resolve("ca.pem")).toFile()).build())
        .defaultLoadBalancingPolicy("round_robin").build());
    ServerAnswers.awaitEachOf(Set.of(servers.pid(0), servers.pid(1)),
        () -> ServerAnswers.serverPid(channel));
  }
}
