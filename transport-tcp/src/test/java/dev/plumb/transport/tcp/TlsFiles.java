package dev.plumb.transport.tcp;

import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The certificates of a {@code tcp:} TLS test, made when it starts and written as PEM files into
 * its temporary directory: a CA, a server certificate for {@code localhost} and
 * {@code 127.0.0.1} and a client certificate ({@link #CLIENT_SUBJECT}), both issued by it.
 */
final class TlsFiles {
  static final String CLIENT_SUBJECT = "CN=alice,O=Plumb test";

  final TestCertificateAuthority ca;
  final Path caFile;
  final IssuedCertificate.PemFiles server;
  final IssuedCertificate.PemFiles client;

  private TlsFiles(Path directory) {
    ca = TestCertificateAuthority.create("Plumb test CA");
    caFile = ca.writeCertificate(directory.resolve("ca.pem"));
    server = ca.issueServer("localhost", "127.0.0.1").writeTo(directory, "server");
    client = ca.issueClient(CLIENT_SUBJECT).writeTo(directory, "client");
  }

  static TlsFiles in(Path directory) {
    return new TlsFiles(directory);
  }

  /** The server's credentials; with {@code mutual}, client certificates of the CA required. */
  ServerCredentials serverCredentials(boolean mutual) {
    return serverCredentials(server, mutual);
  }

  ServerCredentials serverCredentials(IssuedCertificate.PemFiles identity, boolean mutual) {
    try {
      TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
          .keyManager(identity.certificateChain().toFile(), identity.privateKey().toFile());
      if (mutual) {
        builder.trustManager(caFile.toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link dev.plumb.rpc.testing.ConformanceServerMain}'s option for the same, mutual TLS. */
  List<String> mutualServerOptions() {
    return List.of("--tls=" + server.certificateChain() + "," + server.privateKey() + ","
        + caFile);
  }

  /** A client trusting the CA; with {@code withCertificate}, presenting the client certificate. */
  ChannelCredentials channelCredentials(boolean withCertificate) {
    try {
      TlsChannelCredentials.Builder builder =
          TlsChannelCredentials.newBuilder().trustManager(caFile.toFile());
      if (withCertificate) {
        builder.keyManager(client.certificateChain().toFile(), client.privateKey().toFile());
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
