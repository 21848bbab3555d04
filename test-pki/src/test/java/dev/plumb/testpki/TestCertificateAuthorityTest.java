package dev.plumb.testpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The PKI's files read back with the JDK alone, as a TLS stack will read them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestCertificateAuthorityTest {
  @TempDir
  Path temp;

  @Test
  void aServerCertificateIsSignedByTheCaAndNamesItsHosts() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Test CA");
    IssuedCertificate.PemFiles files =
        ca.issueServer("localhost", "127.0.0.1").writeTo(temp, "server");

    X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(files.certificateChain()));
    read.verify(ca.certificate().getPublicKey());
    read.checkValidity();
    assertEquals("CN=localhost", read.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
        List.copyOf(read.getSubjectAlternativeNames()));
    assertTrue(read.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");

    // The PEM key is the certificate's: it signs what the certificate's public key verifies.
    String pem = Files.readString(files.privateKey(), StandardCharsets.US_ASCII);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(read.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature));
  }

  @Test
  void anExpiredCertificateFailsItsValidityCheck() throws Exception {
    X509Certificate expired = TestCertificateAuthority.create("Test CA")
        .issueExpiredServer("localhost").certificate();
    assertThrows(CertificateExpiredException.class, expired::checkValidity);
  }

  @Test
  void aClientCertificateCarriesItsSubjectAndTheCaIsACa() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Test CA");
    X509Certificate client = ca.issueClient("CN=alice,O=Plumb test").certificate();
    assertEquals("CN=alice,O=Plumb test", client.getSubjectX500Principal().getName());
    assertTrue(client.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");

    X509Certificate caRead = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(ca.certificatePem()));
    assertTrue(caRead.getBasicConstraints() >= 0, "a CA certificate");
    client.verify(caRead.getPublicKey());
  }
}
