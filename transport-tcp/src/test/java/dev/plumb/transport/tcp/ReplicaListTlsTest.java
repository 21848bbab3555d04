package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ServerProcess;
import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS, each server of a listed target must show a certificate for its own host, not for
 * the first one's: here one server's certificate names only {@code localhost}, the other's only
 * {@code 127.0.0.2}, and round_robin reaches both.
 */
@Timeout(60)
class ReplicaListTlsTest {
  private final Cleanup cleanup = new Cleanup();

  @TempDir
  Path directory;

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  private ServerProcess server(TestCertificateAuthority ca, String listen, String name)
      throws Exception {
    IssuedCertificate.PemFiles files = ca.issueServer(name).writeTo(directory, name);
    return cleanup.add(ServerProcess.start(listen,
        "--tls=" + files.certificateChain() + "," + files.privateKey()));
  }

  @Test
  void eachEndpointIsVerifiedAgainstItsOwnHost() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Plumb replicas CA");
    ServerProcess named = server(ca, "tcp://127.0.0.1:0", "localhost");
    ServerProcess numbered = server(ca, "tcp://127.0.0.2:0", "127.0.0.2");
    String target = "tcp://localhost:" + URI.create(named.address()).getPort() + ","
        + URI.create(numbered.address()).getRawAuthority();
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(target,
        TlsChannelCredentials.newBuilder().trustManager(
            ca.writeCertificate(directory.resolve("ca.pem")).toFile()).build())
        .defaultLoadBalancingPolicy("round_robin").build());
    Set<Long> expected = Set.of(named.pid(), numbered.pid());
    Set<Long> seen = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!seen.containsAll(expected)) {
      assertTrue(System.nanoTime() < deadline, "within 15 s only " + seen + " of " + expected
          + " answered");
      seen.add(ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid());
    }
  }
}
