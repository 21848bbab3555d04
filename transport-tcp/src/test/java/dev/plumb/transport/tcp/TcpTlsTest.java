package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.config.PlumbConfiguration;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on {@code tcp:} with certificates made for the test: a real handshake over loopback, what
 * calls see of it, and each way it fails, with the status a caller gets. A failure must come
 * from the handshake itself, at once: the timeouts are set far beyond what the test waits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpTlsTest {
  /** Longer than any failure here may take; a call that ends later has hung. */
  private static final long PROMPT_MILLIS = 10_000;

  @TempDir
  Path directory;

  private final Cleanup cleanup = new Cleanup();
  private TlsFiles tls;

  @BeforeEach
  void makeCertificates() {
    tls = TlsFiles.in(directory);
  }

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  /** What the last call on the server saw. */
  private static final class ServerView implements ServerInterceptor {
    final CompletableFuture<SecurityLevel> level = new CompletableFuture<>();
    final CompletableFuture<SSLSession> session = new CompletableFuture<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      level.complete(call.getSecurityLevel());
      SSLSession tlsSession = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (tlsSession != null) {
        session.complete(tlsSession);
      }
      return next.startCall(call, headers);
    }
  }

  private String startServer(ServerCredentials credentials, ServerInterceptor view)
      throws Exception {
    Server server = cleanup.add(PlumbServerBuilder.forAddress("tcp://127.0.0.1:0", credentials)
        .handshakeTimeout(30, TimeUnit.SECONDS)
        .addService(ServerInterceptors.intercept(new ConformanceService(), view))
        .build().start());
    return server.getListenSockets().get(0).toString();
  }

  private String startServer(ServerCredentials credentials) throws Exception {
    return startServer(credentials, new ServerView());
  }

  private static void unary(Channel channel) {
    ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .unary(EchoRequest.getDefaultInstance());
  }

  /** A call that must fail: its status, which it must reach well before any timeout. */
  private Status failedCall(ManagedChannelBuilder<?> builder) {
    ManagedChannel channel = cleanup.add(builder.build());
    long start = System.nanoTime();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> unary(channel));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < PROMPT_MILLIS, "the call took " + millis + " ms to fail: " + e);
    return e.getStatus();
  }

  private static void assertUnavailable(Status status, String... parts) {
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    for (String part : parts) {
      assertTrue(status.getDescription().contains(part),
          "expected '" + part + "' in: " + status.getDescription());
    }
  }

  // ---- a real handshake --------------------------------------------------------------------

  @Test
  void mutualTlsCallsSeeTheSessionThePeersCertificateAndPrivacy() throws Exception {
    ServerView server = new ServerView();
    String target = startServer(tls.serverCredentials(true), server);
    CompletableFuture<SSLSession> clientSession = new CompletableFuture<>();
    ClientInterceptor clientView = new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            ClientCall<Q, R> call = this;
            super.start(new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata received) {
                clientSession.complete(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                super.onHeaders(received);
              }
            }, headers);
          }
        };
      }
    };
    // Through gRPC's own registry, as an application that knows nothing of Plumb would.
    ManagedChannel channel = cleanup.add(
        Grpc.newChannelBuilder(target, tls.channelCredentials(true)).build());
    unary(ClientInterceptors.intercept(channel, clientView));

    assertEquals(SecurityLevel.PRIVACY_AND_INTEGRITY, server.level.getNow(null));
    X509Certificate clientCertificate =
        (X509Certificate) server.session.getNow(null).getPeerCertificates()[0];
    assertEquals(TlsFiles.CLIENT_SUBJECT,
        clientCertificate.getSubjectX500Principal().getName());
    X509Certificate serverCertificate =
        (X509Certificate) clientSession.getNow(null).getPeerCertificates()[0];
    assertEquals("CN=localhost", serverCertificate.getSubjectX500Principal().getName());
  }

  @Test
  void serverOnlyTlsLetsAClientWithoutACertificateIn() throws Exception {
    ServerView server = new ServerView();
    String target = startServer(tls.serverCredentials(false), server);
    unary(cleanup.add(PlumbChannelBuilder.forTarget(target, tls.channelCredentials(false))
        .build()));
    assertEquals(SecurityLevel.PRIVACY_AND_INTEGRITY, server.level.getNow(null));
    assertThrows(javax.net.ssl.SSLPeerUnverifiedException.class,
        () -> server.session.getNow(null).getPeerCertificates());
  }

  @Test
  void theConfigurationKeysGiveBothSidesMutualTls() throws Exception {
    ServerView view = new ServerView();
    Server server = cleanup.add(configuration()
        .listen("tcp://127.0.0.1:0")
        .set("plumb.tls.certChain", tls.server.certificateChain().toString())
        .set("plumb.tls.privateKey", tls.server.privateKey().toString())
        .set("plumb.tls.trustCerts", tls.caFile.toString())
        .load().serverBuilder()
        .addService(ServerInterceptors.intercept(new ConformanceService(), view))
        .build().start());
    String target = server.getListenSockets().get(0).toString();

    // Client authentication is required by default where a server is given trust roots.
    assertUnavailable(failedCall(configuration().target(target)
        .set("plumb.tls.trustCerts", tls.caFile.toString()).load().channelBuilder()),
        "the server refused this client's certificate, or its lack of one");

    unary(cleanup.add(configuration().target(target)
        .set("plumb.tls.certChain", tls.client.certificateChain().toString())
        .set("plumb.tls.privateKey", tls.client.privateKey().toString())
        .set("plumb.tls.trustCerts", tls.caFile.toString())
        .load().channelBuilder().build()));
    X509Certificate client = (X509Certificate) view.session.getNow(null).getPeerCertificates()[0];
    assertEquals(TlsFiles.CLIENT_SUBJECT, client.getSubjectX500Principal().getName());
  }

  /** A loader that reads nothing of this JVM's own configuration. */
  private static PlumbConfiguration.Loader configuration() {
    return PlumbConfiguration.newLoader().systemProperties(new Properties())
        .environment(Map.of()).classLoader(new URLClassLoader(new URL[0], null));
  }

  // ---- certificates that must not be accepted ----------------------------------------------

  @Test
  void aServerCertificateOfAnotherCaFailsUnavailableNamingTheCause() throws Exception {
    String target = startServer(tls.serverCredentials(false));
    Path otherCa = TestCertificateAuthority.create("Another CA")
        .writeCertificate(directory.resolve("other-ca.pem"));
    ChannelCredentials trustingOtherCa =
        TlsChannelCredentials.newBuilder().trustManager(otherCa.toFile()).build();
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target, trustingOtherCa)),
        "TLS with server", "failed: the server's certificate is not signed by a CA this side"
            + " trusts", "PKIX path building failed");
  }

  @Test
  void anExpiredServerCertificateFailsUnavailableNamingTheCause() throws Exception {
    String target = startServer(tls.serverCredentials(
        tls.ca.issueExpiredServer("localhost", "127.0.0.1").writeTo(directory, "expired"),
        false));
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target,
        tls.channelCredentials(false))), "the server's certificate has expired",
        "CertificateExpiredException: NotAfter");
  }

  @Test
  void hostNamesAreVerifiedAgainstTheChannelsAuthority() throws Exception {
    String target = startServer(tls.serverCredentials(
        tls.ca.issueServer("elsewhere.example").writeTo(directory, "elsewhere"), false));
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target,
        tls.channelCredentials(false))), "the server's certificate does not name the host this"
        + " side connected to", "127.0.0.1");
    // The authority the application names is what the certificate must match.
    unary(cleanup.add(PlumbChannelBuilder.forTarget(target, tls.channelCredentials(false))
        .overrideAuthority("elsewhere.example:443").build()));
  }

  @Test
  void aClientWithoutACertificateIsRefusedByAServerThatRequiresOne() throws Exception {
    String target = startServer(tls.serverCredentials(true));
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target,
        tls.channelCredentials(false))), "TLS with server",
        "the server refused this client's certificate, or its lack of one");
  }

  // ---- plaintext on one side ---------------------------------------------------------------

  @Test
  void aPlaintextClientOfATlsServerIsToldAtOnce() throws Exception {
    String target = startServer(tls.serverCredentials(false));
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target)),
        "the connection was refused: this address takes TLS only, and the client",
        "spoke plaintext Plumb; connect with TlsChannelCredentials");
  }

  @Test
  void aTlsClientOfAPlaintextServerIsToldAtOnce() throws Exception {
    Server plaintext = cleanup.add(PlumbServerBuilder.forAddress("tcp://127.0.0.1:0")
        .handshakeTimeout(30, TimeUnit.SECONDS)
        .addService(new ConformanceService()).build().start());
    String target = plaintext.getListenSockets().get(0).toString();
    assertUnavailable(failedCall(PlumbChannelBuilder.forTarget(target,
        tls.channelCredentials(false))), "answered in plaintext: it is a Plumb server without"
        + " TLS; connect with InsecureChannelCredentials, or to its TLS address");
  }

  // ---- handshakes that never complete ------------------------------------------------------

  @Test
  void aPeerThatConnectsAndSaysNothingIsClosedAtTheHandshakeTimeout() throws Exception {
    Server server = cleanup.add(PlumbServerBuilder.forAddress("tcp://127.0.0.1:0",
            tls.serverCredentials(false))
        .handshakeTimeout(300, TimeUnit.MILLISECONDS)
        .addService(new ConformanceService()).build().start());
    int port = Integer.parseInt(server.getListenSockets().get(0).toString().replaceAll(".*:", ""));
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
      silent.setSoTimeout((int) PROMPT_MILLIS);
      long start = System.nanoTime();
      InputStream in = silent.getInputStream();
      // The server may send a TLS alert before it closes; then the end of the stream.
      while (in.read() >= 0) {
        // Nothing to do with the bytes.
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 250 && millis < PROMPT_MILLIS, "closed after " + millis + " ms");
    }
  }

  @Test
  void aServerThatAcceptsAndSaysNothingFailsTheCallAtTheHandshakeTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return silent.accept();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try {
        Status status = failedCall(PlumbChannelBuilder.forTarget(
                "tcp://127.0.0.1:" + silent.getLocalPort(), tls.channelCredentials(false))
            .handshakeTimeout(300, TimeUnit.MILLISECONDS));
        assertUnavailable(status, "no HELLO from the peer within 300 ms");
      } finally {
        accepted.get(5, TimeUnit.SECONDS).close();
      }
    }
  }

  // ---- credentials checked when the builder is made ----------------------------------------

  @Test
  void credentialsThatCannotBeReadFailWhenTheBuilderIsMade() throws Exception {
    ServerCredentials garbage = TlsServerCredentials.create(
        new ByteArrayInputStream("not a certificate".getBytes()),
        new ByteArrayInputStream("not a key".getBytes()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("tcp://127.0.0.1:0", garbage));
    assertTrue(e.getMessage().startsWith("the tcp: transport cannot use these"
        + " TlsServerCredentials: "), e.getMessage());

    PlumbChannelBuilder builder =
        PlumbChannelBuilder.forTarget("tcp://127.0.0.1:1", tls.channelCredentials(false));
    assertThrows(IllegalStateException.class, builder::usePlaintext);
  }
}
