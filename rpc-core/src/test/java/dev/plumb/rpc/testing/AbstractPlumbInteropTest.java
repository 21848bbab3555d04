package dev.plumb.rpc.testing;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.spi.PlumbAddress;
import io.grpc.ChannelCredentials;
import io.grpc.ForwardingServerBuilder;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.testing.integration.AbstractInteropTest;

/**
 * grpc-java's own interop suite, written by others, run over a Plumb transport: the referee of
 * "behaves like gRPC". A transport's subclass names only the listen address. The suite starts
 * its server in the test's JVM; the conformance kit covers the cross-process scenarios.
 */
public abstract class AbstractPlumbInteropTest extends AbstractInteropTest {
  private Server server;

  /** A fresh address to listen on; port 0 or a new path, so runs never collide. */
  protected abstract String listenAddress();

  /** How the server secures its connections: plaintext unless the subclass says otherwise. */
  protected ServerCredentials serverCredentials() {
    return InsecureServerCredentials.create();
  }

  /** How the channel secures its connections: plaintext unless the subclass says otherwise. */
  protected ChannelCredentials channelCredentials() {
    return InsecureChannelCredentials.create();
  }

  @Override
  protected ServerBuilder<?> getServerBuilder() {
    ServerBuilder<?> plumb = PlumbServerBuilder.forAddress(listenAddress(), serverCredentials())
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE);
    return new CapturingServerBuilder(plumb);
  }

  /** Notes the built server: the suite keeps its own private. */
  private final class CapturingServerBuilder
      extends ForwardingServerBuilder<CapturingServerBuilder> {
    private final ServerBuilder<?> plumb;

    CapturingServerBuilder(ServerBuilder<?> plumb) {
      this.plumb = plumb;
    }

    @Override
    protected ServerBuilder<?> delegate() {
      return plumb;
    }

    @Override
    public Server build() {
      server = super.build();
      return server;
    }
  }

  @Override
  protected ManagedChannelBuilder<?> createChannelBuilder() {
    PlumbAddress bound = (PlumbAddress) server.getListenSockets().get(0);
    return PlumbChannelBuilder.forTarget(bound.toString(), channelCredentials())
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE);
  }

  /**
   * Off: the suite's metric checks read its own census recorders, which need its census client
   * interceptor and server tracer factory on the builders; not wired here (ARCHITECTURE.md,
   * open points). OpenTelemetryMetricsTest checks gRPC's metrics over Plumb instead.
   */
  @Override
  protected boolean metricsExpected() {
    return false;
  }
}
