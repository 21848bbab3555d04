package dev.plumb.testpki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root certificate authority made in memory for one run, and the certificates it issues. Keys
 * are EC P-256 (made in milliseconds, unlike RSA's), signatures SHA256withECDSA, both the JDK's;
 * Bouncy Castle only assembles the certificates. Thread-safe.
 */
public final class TestCertificateAuthority {
  /** How far back a certificate's validity starts: clocks of two processes may differ a little. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final AtomicLong serials = new AtomicLong(System.currentTimeMillis());

  private TestCertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new root CA whose subject is {@code CN=commonName}, valid for a day. */
  public static TestCertificateAuthority create(String commonName) {
    KeyPair keys = newKeyPair();
    X500Principal subject = new X500Principal("CN=" + commonName);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          BigInteger.ONE, Date.from(now.minus(BACKDATE)), Date.from(now.plus(DEFAULT_VALIDITY)),
          subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestCertificateAuthority(keys, sign(builder, keys));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** This CA's certificate as PEM: what a peer that trusts this CA reads. */
  public byte[] certificatePem() {
    return Pem.certificates(List.of(certificate));
  }

  /** Writes {@link #certificatePem()} to {@code file} and returns it. */
  public Path writeCertificate(Path file) {
    try {
      return Files.write(file, certificatePem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server certificate for {@code names} (host names, or IP addresses such as
   * {@code 127.0.0.1}, as subject alternative names), valid for a day.
   */
  public IssuedCertificate issueServer(String... names) {
    Instant now = Instant.now();
    return issue("CN=" + names[0], KeyPurposeId.id_kp_serverAuth, now.minus(BACKDATE),
        now.plus(DEFAULT_VALIDITY), names);
  }

  /** A server certificate for {@code names} whose validity ended an hour ago. */
  public IssuedCertificate issueExpiredServer(String... names) {
    Instant now = Instant.now();
    return issue("CN=" + names[0], KeyPurposeId.id_kp_serverAuth, now.minus(Duration.ofDays(2)),
        now.minus(BACKDATE), names);
  }

  /** A client certificate whose subject is {@code subject}, e.g. {@code CN=alice,O=Example}. */
  public IssuedCertificate issueClient(String subject) {
    Instant now = Instant.now();
    return issue(subject, KeyPurposeId.id_kp_clientAuth, now.minus(BACKDATE),
        now.plus(DEFAULT_VALIDITY));
  }

  private IssuedCertificate issue(String subject, KeyPurposeId purpose, Instant notBefore,
      Instant notAfter, String... names) {
    KeyPair leaf = newKeyPair();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
          BigInteger.valueOf(serials.incrementAndGet()), Date.from(notBefore),
          Date.from(notAfter), new X500Principal(subject), leaf.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(leaf.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(keys.getPublic()));
      if (names.length > 0) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      }
      return new IssuedCertificate(sign(builder, keys), leaf.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
    }
  }

  /** IP literals as IP addresses, the rest as DNS names (hostname verification tells them apart). */
  private static GeneralNames alternativeNames(String... names) {
    List<GeneralName> general = new ArrayList<>();
    for (String name : names) {
      boolean ip = name.contains(":") || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
      general.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    return new GeneralNames(general.toArray(GeneralName[]::new));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make EC P-256 keys", e);
    }
  }
}
