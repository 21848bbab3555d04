package dev.plumb.examples.tls;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Admits a call only from a client whose TLS certificate names one of the allowed subjects, e.g.
 * {@code CN=alice,O=Example}. The TLS handshake has already checked that a CA the server trusts
 * signed the certificate (mutual TLS: {@code TlsServerCredentials} with trust roots and client
 * authentication); this decides which of the certified clients may call. The certificate comes
 * from the call's {@link Grpc#TRANSPORT_ATTR_SSL_SESSION}, as on any gRPC transport.
 *
 * <pre>{@code
 * Server server = PlumbServerBuilder.forAddress("tcp://0.0.0.0:7443", mutualTls)
 *     .addService(ServerInterceptors.intercept(new CalculatorService(),
 *         new SubjectAllowList(List.of("CN=alice,O=Example"))))
 *     .build().start();
 * }</pre>
 *
 * <p>A call without TLS, or without a client certificate (a server whose client authentication
 * is optional), ends UNAUTHENTICATED; one whose subject is not allowed, PERMISSION_DENIED naming
 * it. Subjects are compared as X.500 names, so spacing and the case of attribute names do not
 * matter.
 */
public final class SubjectAllowList implements ServerInterceptor {
  private final Set<X500Principal> allowed = new LinkedHashSet<>();

  /**
   * @param subjects distinguished names in RFC 2253 form
   * @throws IllegalArgumentException if one is not a distinguished name
   */
  public SubjectAllowList(List<String> subjects) {
    for (String subject : subjects) {
      allowed.add(new X500Principal(subject));
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Status refusal = refusal(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION),
        call.getMethodDescriptor().getFullMethodName());
    if (refusal != null) {
      call.close(refusal, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** Why a call over {@code session} may not go on, or null if it may. */
  private Status refusal(SSLSession session, String method) {
    if (session == null) {
      return Status.UNAUTHENTICATED.withDescription(method + " takes only TLS connections with"
          + " a client certificate");
    }
    X500Principal subject;
    try {
      Certificate[] chain = session.getPeerCertificates();
      subject = ((X509Certificate) chain[0]).getSubjectX500Principal();
    } catch (SSLPeerUnverifiedException e) {
      return Status.UNAUTHENTICATED.withDescription(method + " needs a client certificate;"
          + " the client gave none");
    }
    if (!allowed.contains(subject)) {
      return Status.PERMISSION_DENIED.withDescription(subject.getName() + " may not call "
          + method);
    }
    return null;
  }
}
