package dev.plumb.shared;

import dev.plumb.childjvm.JavaCommand;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Shared buffers over {@code tcp:}, which passes no descriptors: the bytes travel inline. */
class TcpAttachedCallsTest extends AbstractAttachedCallsTest {
  private static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    server = ServerProcess.start("server", JavaCommand.of(List.of(),
        SharedServerMain.class.getName(), List.of("tcp://127.0.0.1:0")),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ManagedChannelBuilder<?> channelBuilder() {
    return PlumbChannelBuilder.forTarget(server.address());
  }

  @Override
  protected boolean passesDescriptors() {
    return false;
  }
}
