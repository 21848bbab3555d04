package dev.plumb.testpki;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM text (RFC 7468): certificates, and private keys in PKCS#8 as the JDK encodes them. */
final class Pem {
  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static byte[] certificates(List<X509Certificate> certificates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate certificate : certificates) {
      try {
        block(out, "CERTIFICATE", certificate.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toByteArray();
  }

  /** {@code PRIVATE KEY}: an unencrypted PKCS#8 key, which gRPC and Netty read as is. */
  static byte[] privateKey(PrivateKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    block(out, "PRIVATE KEY", key.getEncoded());
    return out.toByteArray();
  }

  private static void block(ByteArrayOutputStream out, String label, byte[] der) {
    String text = "-----BEGIN " + label + "-----\n" + BASE64.encodeToString(der)
        + "\n-----END " + label + "-----\n";
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
