package dev.plumb.transport.tcp;

import io.grpc.Status;
import io.netty.handler.codec.DecoderException;
import java.net.SocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The UNAVAILABLE status a TLS link ends with, saying in plain words what went wrong (an expired
 * certificate, one no trusted CA signed, one that does not name the host, a peer that refused
 * this side's certificate or its lack of one) before the TLS stack's own message, which is kept
 * whole.
 */
final class TlsFailures {
  private TlsFailures() {}

  /** The SSL exception inside {@code error} (Netty wraps what its decoder throws), or null. */
  static SSLException sslCause(Throwable error) {
    Throwable cause = error instanceof DecoderException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof SSLException ? (SSLException) cause : null;
  }

  /** {@code TLS with PEER failed: WHAT: DETAIL}; the peer is the server on a client. */
  static Status status(SocketAddress remote, boolean client, Throwable error) {
    Throwable cause = error instanceof DecoderException && error.getCause() != null
        ? error.getCause() : error;
    String what = explain(cause, client);
    String detail = detail(cause);
    return Status.UNAVAILABLE.withDescription("TLS with " + (client ? "server " : "client ")
        + remote + " failed: " + (what == null ? detail : what + ": " + detail)).withCause(cause);
  }

  /** Alerts a TLS stack sends when it will not take the certificate it got, or the lack of one. */
  private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate",
      "certificate_required", "unknown_ca", "certificate_unknown", "certificate_expired",
      "certificate_revoked", "unsupported_certificate", "access_denied");
  private static final String ALERT = "Received fatal alert: ";

  private static String explain(Throwable cause, boolean client) {
    String peer = client ? "the server's" : "the client's";
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return peer + " certificate has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return peer + " certificate is not valid yet";
      }
      if (t instanceof CertPathBuilderException) {
        return peer + " certificate is not signed by a CA this side trusts";
      }
      String message = String.valueOf(t.getMessage());
      if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
        return peer + " certificate does not name the host this side connected to";
      }
      if (message.contains("Empty client certificate chain")) {
        return "this server requires a client certificate, and the client gave none";
      }
      // JDK 17 says "Received fatal alert: x"; newer JDKs put "(x) " in front.
      int alert = message.indexOf(ALERT);
      if (alert >= 0) {
        return CERTIFICATE_ALERTS.contains(message.substring(alert + ALERT.length()).trim())
            ? (client ? "the server refused this client's certificate, or its lack of one"
                : "the client refused the server's certificate")
            : "the peer ended the handshake";
      }
      if (message.startsWith("not an SSL/TLS record")) {
        return "the peer does not speak TLS";
      }
    }
    return null;
  }

  /** The exception's message, and its root cause's where that says more. */
  private static String detail(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    if (root != cause && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return message;
  }
}
