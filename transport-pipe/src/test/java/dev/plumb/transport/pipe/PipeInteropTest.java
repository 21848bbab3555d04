package dev.plumb.transport.pipe;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.InteropServerMain;
import io.grpc.ManagedChannelBuilder;
import io.grpc.testing.integration.AbstractInteropTest;

/**
 * grpc-java's interop suite over pipe:, against its TestService in a child JVM that the channel
 * starts. With the server in another process, the suite itself skips the two cases that read
 * server-side captures ("can not capture request headers on server side", "server is not in the
 * same process").
 */
public class PipeInteropTest extends AbstractInteropTest {
  @Override
  protected ManagedChannelBuilder<?> createChannelBuilder() {
    return PlumbChannelBuilder.forTarget(
            "pipe:" + ChildJvm.commandLine(InteropServerMain.class, "stdio:") + "#maxStarts=1000")
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE);
  }

  @Override
  protected boolean metricsExpected() {
    return false;
  }
}
