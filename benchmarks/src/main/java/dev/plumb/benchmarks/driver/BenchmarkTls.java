package dev.plumb.benchmarks.driver;

import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The certificates of one TLS repetition, made when it starts: a CA, and a server certificate
 * for {@code 127.0.0.1} written into the run's private directory for the server JVM, which the
 * client trusts. Both TLS rows use the JDK's TLS provider, so that they compare transports, not
 * TLS libraries: this refuses to make them where netty-tcnative (OpenSSL) is on the class path.
 *
 * @param certificateChain the server's certificate chain, a PEM file
 * @param privateKey its key, a PEM file
 * @param channelCredentials a client's credentials trusting the CA
 */
record BenchmarkTls(String certificateChain, String privateKey,
    ChannelCredentials channelCredentials) {

  static BenchmarkTls create(Path directory, String tag) {
    if (OpenSsl.isAvailable()) {
      throw new IllegalStateException("netty-tcnative is on the class path: Netty would use"
          + " OpenSSL, and the TLS rows are meant to compare the JDK's TLS on both sides");
    }
    TestCertificateAuthority ca = TestCertificateAuthority.create("Benchmark CA " + tag);
    IssuedCertificate.PemFiles server =
        ca.issueServer("127.0.0.1", "localhost").writeTo(directory, tag + "-server");
    try {
      return new BenchmarkTls(server.certificateChain().toString(),
          server.privateKey().toString(), TlsChannelCredentials.newBuilder()
              .trustManager(ca.writeCertificate(directory.resolve(tag + "-ca.pem")).toFile())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
