package dev.plumb.rpc.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A transport without TLS (here mem:, as unix:, pipe: and shm:) refuses TLS credentials through
 * every door a gRPC user has (Plumb's builders, gRPC's registry) with the reason, and its calls
 * report what they are: {@link SecurityLevel#NONE}, no TLS session.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MemoryRefusesTlsTest {
  private static final String NO_TLS = "the mem: transport cannot run TLS";

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void theChannelBuilderRefusesTlsCredentials() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbChannelBuilder.forTarget("mem:no-tls", TlsChannelCredentials.create()));
    assertTrue(e.getMessage().startsWith(NO_TLS), e.getMessage());
  }

  @Test
  void grpcsRegistryRefusesTlsCredentialsWithPlumbsReason() {
    Exception e = assertThrows(RuntimeException.class,
        () -> Grpc.newChannelBuilder("mem:no-tls", TlsChannelCredentials.create()));
    assertTrue(e.getMessage().contains(NO_TLS), e.getMessage());
  }

  @Test
  void theServerBuilderRefusesTlsCredentials() throws Exception {
    TlsServerCredentials tls = (TlsServerCredentials) TlsServerCredentials.create(
        new ByteArrayInputStream(new byte[] {1}), new ByteArrayInputStream(new byte[] {2}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlumbServerBuilder.forAddress("mem:no-tls", tls));
    assertTrue(e.getMessage().startsWith(NO_TLS), e.getMessage());
    UnsupportedOperationException old = assertThrows(UnsupportedOperationException.class,
        () -> PlumbServerBuilder.forAddress("mem:no-tls")
            .useTransportSecurity(new File("chain.pem"), new File("key.pem")));
    assertTrue(old.getMessage().contains("TLS per listen address"), old.getMessage());
  }

  @Test
  void plaintextCallsReportNoSecurityAndNoTlsSessionOnBothSides() throws Exception {
    AtomicReference<SecurityLevel> serverSaw = new AtomicReference<>();
    AtomicReference<Object> serverSession = new AtomicReference<>(new Object());
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        serverSaw.set(call.getSecurityLevel());
        serverSession.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        return next.startCall(call, headers);
      }
    };
    cleanup.add(PlumbServerBuilder.forAddress("mem:plaintext-level")
        .addService(ServerInterceptors.intercept(new ConformanceService(), recorder))
        .build().start());
    ManagedChannel channel = cleanup.add(
        Grpc.newChannelBuilder("mem:plaintext-level", InsecureChannelCredentials.create())
            .build());
    ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .unary(EchoRequest.getDefaultInstance());
    assertEquals(SecurityLevel.NONE, serverSaw.get());
    assertEquals(null, serverSession.get());
  }
}
