package dev.plumb.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two TLS rows really run TLS, end to end with their server JVMs: a call on each gets its
 * answer over a link with a TLS session, and both sessions are the JDK's, with the same version
 * and cipher suite (the rows compare transports, not TLS libraries or settings). The driver's full code path is {@code DriverSmokeTest}'s.
 */
class TlsRowsTest {
  @TempDir
  Path scratch;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void plumbAndGrpcNettyRowsCallOverTls() throws Exception {
    SSLSession plumb = callOver(Configurations.plumbTcpTls(ExecutorMode.DIRECT), "plumb");
    SSLSession netty = callOver(Configurations.grpcNettyTcpTls(ExecutorMode.DEFAULT), "netty");
    assertEquals(plumb.getClass(), netty.getClass(), "the same TLS provider on both rows");
    assertEquals("TLSv1.3", plumb.getProtocol());
    assertEquals(plumb.getProtocol(), netty.getProtocol());
    assertEquals(plumb.getCipherSuite(), netty.getCipherSuite());
  }

  private SSLSession callOver(RpcConfiguration configuration, String tag) throws Exception {
    try (RpcConfiguration.Endpoint endpoint = configuration.opener().open(scratch, tag)) {
      ClientCall<Payload, Payload> call = endpoint.channel().newCall(EchoGrpc.getUnaryMethod(),
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
      CompletableFuture<Status> closed = new CompletableFuture<>();
      CompletableFuture<Payload> answer = new CompletableFuture<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(Payload message) {
          answer.complete(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          closed.complete(status);
        }
      }, new Metadata());
      Payload request = Payload.newBuilder().setData(ByteString.copyFromUtf8(tag)).build();
      call.request(1);
      call.sendMessage(request);
      call.halfClose();
      assertEquals(Status.Code.OK, closed.get(20, TimeUnit.SECONDS).getCode());
      assertEquals(request, answer.getNow(null));
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      assertNotNull(session, configuration.name() + " called without TLS");
      return session;
    }
  }
}
