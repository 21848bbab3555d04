package dev.plumb.transport.tcp;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.AbstractRpcConformanceTest;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPC scenarios over TCP loopback with mutual TLS: the server (its own JVM) requires a
 * client certificate of the test CA, the client trusts that CA and presents one. TLS must not
 * change what a call does.
 */
class TcpTlsRpcConformanceTest extends AbstractRpcConformanceTest {
  @TempDir
  static Path certificates;
  private static TlsFiles tls;

  @BeforeAll
  static void makeCertificates() {
    tls = TlsFiles.in(certificates);
  }

  @Override
  protected String listenAddress() {
    return "tcp://127.0.0.1:0";
  }

  @Override
  protected List<String> serverOptions() {
    return tls.mutualServerOptions();
  }

  @Override
  protected ManagedChannelBuilder<?> channelBuilder(String target) {
    return PlumbChannelBuilder.forTarget(target, tls.channelCredentials(true));
  }

  @Override
  protected boolean serverInSeparateProcess() {
    return true;
  }
}
