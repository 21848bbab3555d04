package dev.plumb.transport.tcp;

import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Netty's {@link SslContext} made of gRPC's TLS credentials, once per channel or listen address.
 * The provider is Netty's default: OpenSSL where netty-tcnative is on the class path, the JDK's
 * otherwise. No ALPN: Plumb's own preface follows the handshake. A client verifies the server's
 * host name ({@code HTTPS} endpoint identification) unless its own trust managers decide.
 *
 * <p>Key and trust managers: of a list, the first X.509 one is used, as the JDK's
 * {@code SSLContext.init} does.
 */
final class TlsContexts {
  private TlsContexts() {}

  /** @throws IllegalArgumentException naming what cannot be used */
  static SslContext client(TlsChannelCredentials credentials) {
    SslContextBuilder builder = SslContextBuilder.forClient()
        .endpointIdentificationAlgorithm("HTTPS");
    try {
      if (credentials.getKeyManagers() != null) {
        builder.keyManager(first(credentials.getKeyManagers(), X509KeyManager.class, "key"));
      } else if (credentials.getPrivateKey() != null) {
        builder.keyManager(new ByteArrayInputStream(credentials.getCertificateChain()),
            new ByteArrayInputStream(credentials.getPrivateKey()),
            credentials.getPrivateKeyPassword());
      }
      return trust(builder, credentials.getTrustManagers(), credentials.getRootCertificates())
          .build();
    } catch (SSLException | RuntimeException e) {
      throw unusable("TlsChannelCredentials", e);
    }
  }

  /** Gives {@code builder} the trust managers, else the root certificates, if either is set. */
  private static SslContextBuilder trust(SslContextBuilder builder,
      List<TrustManager> trustManagers, byte[] rootCertificates) {
    if (trustManagers != null) {
      builder.trustManager(first(trustManagers, X509TrustManager.class, "trust"));
    } else if (rootCertificates != null) {
      builder.trustManager(new ByteArrayInputStream(rootCertificates));
    }
    return builder;
  }

  /** @throws IllegalArgumentException naming what cannot be used */
  static SslContext server(TlsServerCredentials credentials) {
    try {
      SslContextBuilder builder = credentials.getKeyManagers() != null
          ? SslContextBuilder.forServer(
              first(credentials.getKeyManagers(), X509KeyManager.class, "key"))
          : SslContextBuilder.forServer(new ByteArrayInputStream(credentials.getCertificateChain()),
              new ByteArrayInputStream(credentials.getPrivateKey()),
              credentials.getPrivateKeyPassword());
      builder.clientAuth(clientAuth(credentials.getClientAuth()));
      return trust(builder, credentials.getTrustManagers(), credentials.getRootCertificates())
          .build();
    } catch (SSLException | RuntimeException e) {
      throw unusable("TlsServerCredentials", e);
    }
  }

  private static ClientAuth clientAuth(TlsServerCredentials.ClientAuth clientAuth) {
    switch (clientAuth) {
      case REQUIRE:
        return ClientAuth.REQUIRE;
      case OPTIONAL:
        return ClientAuth.OPTIONAL;
      default:
        return ClientAuth.NONE;
    }
  }

  private static <T> T first(List<?> managers, Class<T> type, String what) {
    for (Object manager : managers) {
      if (type.isInstance(manager)) {
        return type.cast(manager);
      }
    }
    throw new IllegalArgumentException("the credentials' " + what + " managers hold no "
        + type.getSimpleName());
  }

  private static IllegalArgumentException unusable(String type, Exception e) {
    String reason = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(reason)) {
      reason = reason + ": " + cause.getMessage();
    }
    return new IllegalArgumentException("the tcp: transport cannot use these " + type + ": "
        + reason, e);
  }
}
