package dev.plumb.testpki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate a {@link TestCertificateAuthority} issued, with its private key.
 *
 * @param certificate the leaf certificate, signed by the CA (the chain is this alone: the CA is
 *     a root, which peers hold themselves)
 * @param privateKey its key
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  /** The certificate chain as PEM, as {@code TlsServerCredentials.create} reads it. */
  public byte[] certificateChainPem() {
    return Pem.certificates(List.of(certificate));
  }

  /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public byte[] privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  /**
   * Writes {@code NAME.pem} (the chain) and {@code NAME.key} (the key, readable by its owner
   * only where the file system has permissions) into {@code directory}.
   */
  public PemFiles writeTo(Path directory, String name) {
    try {
      Path chain = Files.write(directory.resolve(name + ".pem"), certificateChainPem());
      Path key = Files.write(directory.resolve(name + ".key"), privateKeyPem());
      key.toFile().setReadable(false, false);
      key.toFile().setReadable(true, true);
      return new PemFiles(chain, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where {@link #writeTo} put the chain and the key. */
  public record PemFiles(Path certificateChain, Path privateKey) {}
}
