package dev.plumb.demo;

import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mutual TLS for the demo's {@code tcp+tls} row, made when the demo runs: a CA, a server
 * certificate for {@code 127.0.0.1} and {@code localhost} and a client certificate, both issued
 * by it, as PEM files in the scenario's temporary directory. The daemon takes its side as any
 * deployment would, from a properties file of {@code plumb.tls.*} keys ({@code --config}); the
 * demo's channel gets gRPC's {@code TlsChannelCredentials}, and checks the server's name.
 */
public final class DemoTls {
  private static final String CLIENT_SUBJECT = "CN=plumb demo client";

  private final Path caFile;
  private final IssuedCertificate.PemFiles client;
  private final Path config;

  private DemoTls(Path caFile, IssuedCertificate.PemFiles client, Path config) {
    this.caFile = caFile;
    this.client = client;
    this.config = config;
  }

  /** Makes the certificates and the daemon's configuration file in {@code directory}. */
  static DemoTls in(Path directory) {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Plumb demo CA");
    Path caFile = ca.writeCertificate(directory.resolve("ca.pem"));
    IssuedCertificate.PemFiles server = ca.issueServer("127.0.0.1", "localhost")
        .writeTo(directory, "server");
    IssuedCertificate.PemFiles client = ca.issueClient(CLIENT_SUBJECT).writeTo(directory,
        "client");
    // Trust roots on a server mean client certificates are required (plumb.tls.clientAuth).
    String properties = "plumb.tls.certChain=" + server.certificateChain() + "\n"
        + "plumb.tls.privateKey=" + server.privateKey() + "\n"
        + "plumb.tls.trustCerts=" + caFile + "\n";
    try {
      Path config = Files.writeString(directory.resolve("plumb-tls.properties"), properties,
          StandardCharsets.UTF_8);
      // A backstop should the demo die before the scenario's clean-up: the files go before
      // their directory, whose deletion was asked for first (the last asked runs first).
      for (Path file : List.of(caFile, server.certificateChain(), server.privateKey(),
          client.certificateChain(), client.privateKey(), config)) {
        file.toFile().deleteOnExit();
      }
      return new DemoTls(caFile, client, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's TLS configuration", e);
    }
  }

  /** The daemon's arguments for its side. */
  List<String> daemonArgs() {
    return List.of("--config", config.toString());
  }

  /** The channel's credentials: the client certificate, and the demo CA as the only root. */
  ChannelCredentials channelCredentials() {
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(client.certificateChain().toFile(), client.privateKey().toFile())
          .trustManager(caFile.toFile())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo's client certificate", e);
    }
  }
}
