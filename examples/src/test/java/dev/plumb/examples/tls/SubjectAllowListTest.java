package dev.plumb.examples.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plumb.examples.CalculatorService;
import dev.plumb.examples.calculator.CalculatorGrpc;
import dev.plumb.examples.calculator.Operands;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.testpki.IssuedCertificate;
import dev.plumb.testpki.TestCertificateAuthority;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The authorization example over real TLS on {@code tcp:}: of two clients whose certificates the
 * same CA signed, only the allowed subject may call; a client without a certificate is not
 * authenticated (the server asks for one but, here, does not require it).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubjectAllowListTest {
  private final Cleanup cleanup = new Cleanup();
  private final TestCertificateAuthority ca = TestCertificateAuthority.create("Example CA");
  private String target;

  @BeforeEach
  void startServer() throws Exception {
    IssuedCertificate server = ca.issueServer("localhost", "127.0.0.1");
    Server started = cleanup.add(PlumbServerBuilder.forAddress("tcp://127.0.0.1:0",
            TlsServerCredentials.newBuilder()
                .keyManager(stream(server.certificateChainPem()), stream(server.privateKeyPem()))
                .trustManager(stream(ca.certificatePem()))
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                .build())
        .addService(ServerInterceptors.intercept(new CalculatorService(),
            new SubjectAllowList(List.of("CN=alice, O=Example"))))
        .build().start());
    target = started.getListenSockets().get(0).toString();
  }

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void theAllowedSubjectMayCall() throws Exception {
    assertEquals(5, add(credentials(ca.issueClient("CN=alice,O=Example"))));
  }

  @Test
  void anotherCertifiedSubjectIsDeniedByName() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> add(credentials(ca.issueClient("CN=bob,O=Example"))));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
    assertEquals("CN=bob,O=Example may not call plumb.examples.calculator.Calculator/Add",
        e.getStatus().getDescription());
  }

  @Test
  void aClientWithoutACertificateIsNotAuthenticated() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> add(TlsChannelCredentials.newBuilder().trustManager(stream(ca.certificatePem()))
            .build()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
  }

  private ChannelCredentials credentials(IssuedCertificate client) throws IOException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(stream(client.certificateChainPem()), stream(client.privateKeyPem()))
        .trustManager(stream(ca.certificatePem()))
        .build();
  }

  private long add(ChannelCredentials credentials) {
    ManagedChannel channel =
        cleanup.add(PlumbChannelBuilder.forTarget(target, credentials).build());
    return CalculatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .add(Operands.newBuilder().setA(2).setB(3).build()).getValue();
  }

  private static ByteArrayInputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }
}
